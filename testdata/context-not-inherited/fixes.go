// Quick fixes: pass the context at hand (preferred), or detach it with
// context.WithoutCancel on go 1.21+.
// ctxlsp:testdata go.mod=1.21

package fixes

import (
	"context"
	"net/http"
	"time"
)

func query(ctx context.Context, q string) error { return nil }

func lookup(ctx context.Context, q string) error {
	c, cancel := context.WithTimeout(context.Background(), time.Second) // want `passed to context\.WithTimeout while the context parameter ctx`
	defer cancel()
	return query(c, q)
}

func handler(w http.ResponseWriter, r *http.Request) {
	go func() {
		_ = query(context.TODO(), "x") // want `r\.Context\(\)`
	}()
}

func nested(ctx context.Context) func() error {
	return func() error {
		return query(context.Background(), "y") // want `the context parameter ctx`
	}
}
