// ctxlsp:testdata go.mod=1.21

// Before Go 1.22 a range loop reuses one variable for every iteration: each
// finalizer captures that shared variable, which ends up holding only the
// last element. Whether a given object stays reachable depends on the
// iteration, so nothing is reported.
package selfrefloop121

import (
	"fmt"
	"runtime"
)

type node struct {
	name string
}

func loopVariableCaptured(items []*node) {
	for _, item := range items {
		runtime.SetFinalizer(item, func(*node) { fmt.Println(item.name) })
	}
}
