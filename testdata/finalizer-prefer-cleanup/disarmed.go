// ctxlsp:testdata go.mod=1.24

// Close disarms the finalizer with SetFinalizer(c, nil). After a rewrite to
// AddCleanup that call would no longer stop the cleanup (Cleanup.Stop does),
// so no fix is offered while another function of the package calls
// SetFinalizer.
package preferdisarm

import (
	"log"
	"runtime"
)

type channel struct {
	id     int
	closed bool
}

func open(id int) *channel {
	c := &channel{id: id}
	runtime.SetFinalizer(c, func(c *channel) { log.Printf("channel %d leaked", c.id) }) // want `prefer runtime\.AddCleanup`
	return c
}

func (c *channel) Close() {
	c.closed = true
	runtime.SetFinalizer(c, nil)
}
