// ctxlsp:testdata go.mod=1.25

// A renamed runtime import keeps its name in the rewrite.
package preferrenamed

import (
	"log"
	goruntime "runtime"
)

type conn struct {
	addr string
}

func dial(addr string) *conn {
	c := &conn{addr: addr}
	goruntime.SetFinalizer(c, func(c *conn) { log.Println("leaked", c.addr) }) // want `prefer runtime\.AddCleanup`
	return c
}
