// What is left alone: cleanup code, explained detachments, functions with no
// usable context, roots that no call receives.
// ctxlsp:testdata go.mod=1.22

package quiet

import (
	"context"
	"net/http"
	"time"
)

type server struct{}

func (server) Shutdown(ctx context.Context) error { return nil }

func work(ctx context.Context) error { return nil }

func main() {
	_ = work(context.Background())
}

func init() {
	_ = work(context.TODO())
}

func cleanup(ctx context.Context, s server) {
	defer s.Shutdown(context.Background())
	defer func() {
		c, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = s.Shutdown(c)
	}()
	_ = work(ctx)
}

type cleaner interface{ Cleanup(func()) }

func registersCleanup(ctx context.Context, t cleaner) {
	t.Cleanup(func() {
		_ = work(context.Background())
	})
}

func afterDone(ctx context.Context, s server) {
	<-ctx.Done()
	c, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = s.Shutdown(c)
}

func explained(ctx context.Context) {
	// A client disconnect must not cancel the audit record.
	_ = work(context.Background())

	// Detached on purpose: outlives the request.
	_ = work(context.TODO())
}

func blankParameter(_ context.Context) {
	_ = work(context.Background())
}

func shadowedParameter(ctx context.Context) {
	{
		ctx := 3
		_ = ctx
		_ = work(context.Background())
	}
}

type holder struct{ ctx context.Context }

func stored(ctx context.Context, h *holder) context.Context {
	h.ctx = context.Background()
	fresh := context.Background()
	fresh = ctx
	_ = work(fresh)
	return context.TODO()
}

// A test's context counts only from Go 1.24 (this module says 1.22).
type T struct{}

func helper(t *testing_T, w http.ResponseWriter) {
	_ = work(context.Background())
}

type testing_T = T
