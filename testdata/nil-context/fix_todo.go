// The quick fix writes context.TODO() as the file spells the package.

package fixtodo

import (
	stdctx "context"
	"net/http"
)

func handler(w http.ResponseWriter) {
	ctx, cancel := stdctx.WithCancel(nil) // want `nil passed`

	defer cancel()
	run(ctx)
	run(nil) // want `of run, which gets a context`

	run((nil)) // want `of run`
}

func run(ctx stdctx.Context) {}
