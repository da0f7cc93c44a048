// ctxlsp:testdata go.mod=1.24

// The field's type names package bufio, which this file imports under the
// same name: the rewrite can spell the type.
package prefercross

import (
	"bufio"
	"log"
	"runtime"
)

func newSink(w *bufio.Writer) *sink {
	s := &sink{out: w}
	runtime.SetFinalizer(s, func(s *sink) { log.Println("unflushed bytes:", s.out.Buffered()) }) // want `prefer runtime\.AddCleanup`
	return s
}
