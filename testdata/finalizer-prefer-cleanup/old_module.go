// ctxlsp:testdata go.mod=1.23

// Before Go 1.24 there is no AddCleanup: nothing is reported.
package preferold

import (
	"log"
	"runtime"
)

type item struct{ name string }

func track(i *item) {
	runtime.SetFinalizer(i, func(i *item) { log.Println(i.name) })
}
