// ctxlsp:testdata go.mod=1.24

// runtime.AddCleanup (Go 1.24) never runs its cleanup while ptr is reachable
// from the cleanup function or from arg; when arg is ptr itself it panics.
package selfrefcleanup

import (
	"fmt"
	"runtime"
	"syscall"
	"unsafe"
)

type file struct {
	fd   int
	name string
}

func (f *file) release(int) { syscall.Close(f.fd) }

type pair struct {
	left, right *file
}

// arg is the object itself: AddCleanup panics.
func argIsPointer() *file {
	f := &file{fd: 3}
	runtime.AddCleanup(f, func(g *file) { syscall.Close(g.fd) }, f) // want `runtime\.AddCleanup panics when arg is the object itself \(f\), and the cleanup could never run anyway: pass only what the cleanup needs, such as a field value`
	return f
}

// The same with the address of a local variable on both sides.
func argIsSameAddress() *file {
	var f file
	runtime.AddCleanup(&f, func(g *file) { fmt.Println(g.name) }, &f) // want `runtime\.AddCleanup panics when arg is the object itself \(&f\)`
	return &f
}

// The cleanup closes over ptr.
func cleanupCapturesPointer() *file {
	f := &file{fd: 4}
	runtime.AddCleanup(f, func(int) { // want `the cleanup closes over f, so f stays reachable and is never collected: the cleanup never runs; pass what it needs as arg and use the cleanup's parameter`
		syscall.Close(f.fd)
	}, 0)
	return f
}

// The cleanup is a closure held in a variable.
func cleanupVariableCapturesPointer() *file {
	f := &file{fd: 5}
	closeIt := func(int) { syscall.Close(f.fd) }
	runtime.AddCleanup(f, closeIt, 0) // want `the cleanup closes over f`
	return f
}

// arg holds ptr inside a composite value.
func argContainsPointer() *file {
	f := &file{fd: 6}
	runtime.AddCleanup(f, func(p pair) { fmt.Println(p.left.fd) }, pair{left: f}) // want `arg keeps f reachable, so f is never collected and the cleanup never runs: pass only the values the cleanup needs \(for example a field\), not f`
	return f
}

// arg is a pointer converted to unsafe.Pointer: still a reference.
func argIsConvertedPointer() *file {
	f := &file{fd: 7}
	runtime.AddCleanup(f, func(p unsafe.Pointer) { fmt.Println(p) }, unsafe.Pointer(f)) // want `arg keeps f reachable`
	return f
}

// arg is ptr wrapped in an interface value.
func argIsInterfaceOfPointer() *file {
	f := &file{fd: 11}
	runtime.AddCleanup(f, func(v interface{}) { fmt.Println(v) }, interface{}(f)) // want `arg keeps f reachable`
	return f
}

// A method value bound to ptr.
func cleanupIsBoundMethod() *file {
	f := &file{fd: 8}
	runtime.AddCleanup(f, f.release, 0) // want `the cleanup f\.release is a method value bound to f, so f stays reachable and is never collected: the cleanup never runs`
	return f
}

// Not reported: the documented shape, arg is a copy of a field.
func argIsFieldValue() *file {
	f := &file{fd: 9}
	runtime.AddCleanup(f, func(fd int) { syscall.Close(fd) }, f.fd)
	return f
}

// Not reported: arg is a string copied out of the object.
func argIsStringField() *file {
	f := &file{name: "tmp"}
	runtime.AddCleanup(f, func(name string) { fmt.Println("dropped", name) }, f.name)
	return f
}

// Not reported: a uintptr does not keep anything reachable.
func argIsAddressAsInteger() *file {
	f := &file{}
	runtime.AddCleanup(f, func(addr uintptr) { fmt.Println(addr) }, uintptr(unsafe.Pointer(f)))
	return f
}

// Not reported: the cleanup's own parameter shadows ptr's name.
func parameterShadowsPointer() *file {
	f := &file{fd: 10}
	runtime.AddCleanup(f, func(f int) { syscall.Close(f) }, f.fd)
	return f
}
