// ctxlsp:testdata go.mod=1.24

// A method expression as the finalizer takes the object itself as its
// argument: AddCleanup's arg must not be the object (the cleanup would keep
// it reachable forever), so AddCleanup cannot express it and no hint is given.
package prefermethodexpr

import (
	"os"
	"runtime"
)

type handle struct{ fd int }

func (h *handle) release() {}

func ownType() *handle {
	h := &handle{}
	runtime.SetFinalizer(h, (*handle).release)
	return h
}

func importedType(f *os.File) {
	runtime.SetFinalizer(f, (*os.File).Close)
}

// A function literal can be rewritten: the hint stays.
func literal(f *os.File) {
	fd := f.Fd()
	runtime.SetFinalizer(f, func(*os.File) { println(fd) }) // want `prefer runtime\.AddCleanup`
}
