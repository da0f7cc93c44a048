// ctxlsp:testdata go.mod=1.24

// A dot-imported runtime: the rewrite uses the bare name as well.
package preferdot

import (
	"log"
	. "runtime"
)

type pipe struct {
	label string
}

func newPipe(label string) *pipe {
	p := &pipe{label: label}
	SetFinalizer(p, func(p *pipe) { log.Println("pipe leaked:", p.label) }) // want `prefer runtime\.AddCleanup`
	return p
}
