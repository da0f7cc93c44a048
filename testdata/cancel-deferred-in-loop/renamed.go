// The context package under another name, and a dot import.
package deferloop

import (
	stdctx "context"
	"time"
)

func renamedImport(parent stdctx.Context, names []string) {
	for _, name := range names {
		ctx, cancel := stdctx.WithTimeout(parent, time.Second)
		defer cancel() // want `cancel is deferred inside a loop`
		_ = call(ctx, name)
	}
}
