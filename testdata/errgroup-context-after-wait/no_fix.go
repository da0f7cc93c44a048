// The parent is not a variable visible at the use: no fix.

package nofix

import (
	"context"
	"net/http"

	"golang.org/x/sync/errgroup"
)

func fetch(ctx context.Context) error { return nil }

func handler(w http.ResponseWriter, r *http.Request) {
	g, gctx := errgroup.WithContext(r.Context())
	_ = g.Wait()
	_ = fetch(gctx) // want `use the parent context r\.Context\(\)`
}

func shadowed(ctx context.Context) {
	g, gctx := errgroup.WithContext(ctx)
	{
		ctx := 1
		_ = ctx
		_ = g.Wait()
		_ = fetch(gctx) // want `gctx is already canceled`
	}
}
