// ctxlsp:testdata go.mod=1.24

// Every valid SetFinalizer with a non-nil finalizer gets the hint, but the
// rewrite is offered only when it is mechanical; the golden file shows these
// calls unchanged.
package prefernofix

import (
	"fmt"
	"log"
	"os"
	"runtime"
)

type resource struct {
	name  string
	count int
}

func (r *resource) describe() string { return r.name }

// The parameter itself escapes into a call.
func usesWholeObject() *resource {
	r := &resource{}
	runtime.SetFinalizer(r, func(r *resource) { fmt.Println(r) }) // want `prefer runtime\.AddCleanup`
	return r
}

// Two different fields would need a struct for arg.
func usesTwoFields() *resource {
	r := &resource{}
	runtime.SetFinalizer(r, func(r *resource) { log.Println(r.name, r.count) }) // want `prefer runtime\.AddCleanup`
	return r
}

// describe is a method, not a field.
func callsMethod() *resource {
	r := &resource{}
	runtime.SetFinalizer(r, func(r *resource) { log.Println(r.describe()) }) // want `prefer runtime\.AddCleanup`
	return r
}

// Writing to the field would only change the cleanup's copy.
func writesField() *resource {
	r := &resource{}
	runtime.SetFinalizer(r, func(r *resource) { r.count = 0 }) // want `prefer runtime\.AddCleanup`
	return r
}

// Taking the field's address would point into a copy.
func takesFieldAddress() *resource {
	r := &resource{}
	runtime.SetFinalizer(r, func(r *resource) { fmt.Println(&r.count) }) // want `prefer runtime\.AddCleanup`
	return r
}

// The parameter is not used at all.
func ignoresParameter() *resource {
	r := &resource{}
	runtime.SetFinalizer(r, func(*resource) { log.Println("gone") }) // want `prefer runtime\.AddCleanup`
	return r
}

// The finalizer returns a value; a cleanup cannot.
func returnsValue() *resource {
	r := &resource{}
	runtime.SetFinalizer(r, func(r *resource) error { return fmt.Errorf("%s", r.name) }) // want `prefer runtime\.AddCleanup`
	return r
}

// The type comes from another package: its fields are not known here.
func foreignType(f *os.File) {
	runtime.SetFinalizer(f, func(f *os.File) { log.Println(f.Name()) }) // want `prefer runtime\.AddCleanup`
}

// A method expression needs the object itself (no hint at all: see
// method_expressions.go).
func namedFinalizer() *resource {
	r := &resource{}
	runtime.SetFinalizer(r, (*resource).finish)
	return r
}

func (r *resource) finish() { log.Println(r.name) }

// The finalizer closes over the object (finalizer-self-reference); a cleanup
// built from it would keep the object alive too.
func capturesObject() *resource {
	r := &resource{}
	runtime.SetFinalizer(r, func(p *resource) { log.Println(p.name, r != nil) }) // want `prefer runtime\.AddCleanup`
	return r
}

type box[T any] struct {
	value T
}

// A generic struct: the field's type depends on the instantiation.
func genericBox() *box[int] {
	b := &box[int]{}
	runtime.SetFinalizer(b, func(b *box[int]) { log.Println(b.value) }) // want `prefer runtime\.AddCleanup`
	return b
}

// Not reported: removing a finalizer has no cleanup equivalent to suggest.
func remove(r *resource) {
	runtime.SetFinalizer(r, nil)
}

// Not reported: a pass-through wrapper; AddCleanup needs the pointer's type.
func setFinalizer(obj, finalizer any) {
	runtime.SetFinalizer(obj, finalizer)
}

// Not reported: the call is invalid (finalizer-invalid reports it).
func invalid(r *resource) {
	runtime.SetFinalizer(r, func(a, b *resource) {})
}
