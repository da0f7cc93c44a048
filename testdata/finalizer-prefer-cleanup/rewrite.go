// ctxlsp:testdata go.mod=1.24

// Finalizers that use their parameter only through one field of a struct
// declared in this package are rewritten into runtime.AddCleanup calls that
// receive the field's value as arg.
package preferfix

import (
	"log"
	"os"
	"runtime"
)

type tempFile struct {
	file *os.File
	path string
}

func openTemp(f *os.File, path string) *tempFile {
	t := &tempFile{file: f, path: path}
	runtime.SetFinalizer(t, func(t *tempFile) { // want `prefer runtime\.AddCleanup \(Go 1\.24\+\) to runtime\.SetFinalizer: a cleanup does not resurrect the object, so objects in reference cycles can still be collected, and one object can have several cleanups; pass what the cleanup needs as arg, never the object itself`
		log.Printf("temporary file %s was not closed", t.path)
	})
	return t
}

// The field may be used several times, and through further selectors.
func watchTemp(f *os.File) *tempFile {
	t := &tempFile{file: f}
	runtime.SetFinalizer(t, func(gone *tempFile) { // want `prefer runtime\.AddCleanup`
		if gone.file != nil {
			log.Printf("leaked %s", gone.file.Name())
		}
	})
	return t
}

type counter struct {
	hits int
}

// The address of a local variable: arg reads the variable's field.
func localCounter() *counter {
	var c counter
	runtime.SetFinalizer(&c, func(p *counter) { log.Println("hits:", p.hits) }) // want `prefer runtime\.AddCleanup`
	return &c
}

type job struct {
	name string
}

// The field's name is already used in the body, so the cleanup's parameter
// keeps the finalizer's parameter name.
func newJob(name string) *job {
	j := &job{name: name}
	runtime.SetFinalizer(j, func(old *job) { // want `prefer runtime\.AddCleanup`
		name := old.name
		log.Println("job dropped:", name)
	})
	return j
}

// A call split over several lines, with a trailing comma.
func spreadOut(path string) *tempFile {
	t := &tempFile{path: path}
	runtime.SetFinalizer( // want `prefer runtime\.AddCleanup`
		t,
		func(t *tempFile) { log.Println("dropped", t.path) },
	)
	return t
}
