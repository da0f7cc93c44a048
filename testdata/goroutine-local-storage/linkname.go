// Pull linknames into runtime internals that identify goroutines or hold per-goroutine data.
// A directive fills its whole line comment, so each expectation is a block comment placed
// before it on the same line.
package linknames

import (
	"reflect"
	"unsafe"
)

/* want `//go:linkname pulls runtime\.getg, ` */ //go:linkname currentG runtime.getg
func currentG() unsafe.Pointer

/* want `//go:linkname pulls runtime\.getm.*Go has no goroutine IDs or goroutine-local storage by design.*Go 1\.23.*linker` */ //go:linkname getm runtime.getm
func getm() unsafe.Pointer

/* want `//go:linkname pulls runtime/pprof\.runtime_getProfLabel` */ //go:linkname readLabels runtime/pprof.runtime_getProfLabel
func readLabels() unsafe.Pointer

/* want `//go:linkname pulls runtime/pprof\.runtime_setProfLabel` */ //go:linkname writeLabels runtime/pprof.runtime_setProfLabel
func writeLabels(labels unsafe.Pointer)

/* want `//go:linkname pulls runtime\.runtime_getProfLabel` */ //go:linkname labelsFromRuntime runtime.runtime_getProfLabel
func labelsFromRuntime() unsafe.Pointer

/* want `//go:linkname pulls reflect\.typelinks` */ //go:linkname typelinks reflect.typelinks
func typelinks() (sections []unsafe.Pointer, offset [][]int32)

/* want `//go:linkname pulls reflect\.resolveTypeOff` */ //go:linkname resolveTypeOff reflect.resolveTypeOff
func resolveTypeOff(rtype unsafe.Pointer, off int32) unsafe.Pointer

// --- Not reported -------------------------------------------------------------------------

// A pull of a runtime function unrelated to goroutine identity: outside this rule.
//
//go:linkname nanotime runtime.nanotime
func nanotime() int64

// The one-argument form only marks a local symbol as linkable; it pulls nothing.
//
//go:linkname exported
func exported() int { return 1 }

// A push: the local function has a body and is published under the other name.
//
//go:linkname resolveForReflect reflect.resolveTypeOff
func resolveForReflect(rtype unsafe.Pointer, off int32) unsafe.Pointer { return rtype }

// Not a directive: a space after the slashes makes it an ordinary comment.
// go:linkname getm2 runtime.getm

var _ = reflect.TypeOf
