// A dot-imported context package.
package deferloop

import (
	. "context"
	"time"
)

func dotImported(parent Context, names []string) {
	for _, name := range names {
		ctx, cancel := WithTimeout(parent, time.Second)
		defer cancel() // want `cancel is deferred inside a loop`
		_ = call(ctx, name)
	}
}
