// Without a go.mod the Go version is unknown: nothing is reported.
package prefernomod

import (
	"log"
	"runtime"
)

type item struct{ name string }

func track(i *item) {
	runtime.SetFinalizer(i, func(i *item) { log.Println(i.name) })
}
