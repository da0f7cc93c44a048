// ctxlsp:testdata go.mod=1.24

// This file does not import bufio, so the field's type *bufio.Writer cannot
// be written here without adding an import: no fix.
package prefercrossother

import (
	"log"
	"runtime"
)

func newQuietSink() *sink {
	s := &sink{}
	runtime.SetFinalizer(s, func(s *sink) { log.Println("sink leaked:", s.out != nil) }) // want `prefer runtime\.AddCleanup`
	return s
}
