// A context variable declared outside a loop and re-derived from itself inside it: the
// chain grows by one layer per iteration.
package loopctx

import (
	"context"
	"time"
)

type key struct{ name string }

func handle(ctx context.Context, item string) error { return ctx.Err() }

// Three-clause loop. Only the first growing assignment of a variable in a loop is
// reported: the second one extends the same chain, and fixing the first fixes both.
func threeClause(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		ctx = context.WithValue(ctx, key{"attempt"}, i) // want `ctx is re-derived from itself on every loop iteration \(context\.WithValue\)`
		ctx = context.WithValue(ctx, key{"stage"}, "retry")
		_ = handle(ctx, "job")
	}
}

// Range loop over a channel: unbounded growth while messages keep coming.
func consume(ctx context.Context, messages <-chan string) {
	for msg := range messages {
		ctx = context.WithValue(ctx, key{"message"}, msg) // want `Value lookups walk every layer and every layer stays reachable`
		_ = handle(ctx, msg)
	}
}

// Endless loop that leaves through a select case.
func serve(ctx context.Context, requests <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case req := <-requests:
			ctx = context.WithValue(ctx, key{"request"}, req) // want `ctx is re-derived from itself`
			_ = handle(ctx, req)
		}
	}
}

// Cancelable layers: once one is cancelled, every later layer is born cancelled.
func retryWithTimeout(ctx context.Context, attempts int) error {
	var cancel context.CancelFunc
	var err error
	for i := 0; i < attempts; i++ {
		ctx, cancel = context.WithTimeout(ctx, time.Second) // want `\(context\.WithTimeout\).*born cancelled`
		err = handle(ctx, "attempt")
		cancel()
		if err == nil {
			return nil
		}
	}
	return err
}

func deadlines(ctx context.Context, stops []time.Time) {
	var cancel context.CancelFunc = func() {}
	for _, stop := range stops {
		ctx, cancel = context.WithDeadline(ctx, stop) // want `context\.WithDeadline`
		_ = handle(ctx, "stop")
	}
	cancel()
}

func cancels(ctx context.Context, items []string) {
	for _, item := range items {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx) // want `context\.WithCancel`
		_ = handle(ctx, item)
		cancel()
	}
}

// A reset before the derivation starts a fresh chain on every iteration, but a second
// variable that is never reset still grows.
func resetFirst(ctx context.Context, other context.Context, items []string) {
	for _, item := range items {
		ctx = context.Background()
		ctx = context.WithValue(ctx, key{"item"}, item)
		other = context.WithValue(other, key{"item"}, item) // want `other is re-derived from itself`
		_ = handle(ctx, item)
		_ = handle(other, item)
	}
}

func resetTODO(ctx context.Context, items []string) {
	for _, item := range items {
		ctx = context.TODO()
		ctx = context.WithValue(ctx, key{"item"}, item)
		_ = handle(ctx, item)
	}
}

// A reset only on some paths does not stop the growth on the others.
func resetSometimes(ctx context.Context, items []string) {
	for _, item := range items {
		if item == "" {
			ctx = context.Background()
		}
		ctx = context.WithValue(ctx, key{"item"}, item) // want `ctx is re-derived from itself`
		_ = handle(ctx, item)
	}
}

// Restoring the variable at the end of every iteration also starts each iteration afresh.
func restoreAtEnd(ctx context.Context, items []string) {
	base := ctx
	for _, item := range items {
		ctx = context.WithValue(ctx, key{"item"}, item)
		_ = handle(ctx, item)
		ctx = base
	}
}

// The parent is another variable: one layer on top of base per iteration, no growth.
func otherParent(base context.Context, items []string) {
	var ctx context.Context
	for _, item := range items {
		ctx = context.WithValue(base, key{"item"}, item)
		_ = handle(ctx, item)
	}
}

// A fresh variable per iteration is the recommended shape; later assignments in the same
// iteration extend that fresh variable only.
func freshPerIteration(ctx context.Context, items []string) {
	for _, item := range items {
		ctx := context.WithValue(ctx, key{"item"}, item)
		ctx = context.WithValue(ctx, key{"stage"}, "parse")
		_ = handle(ctx, item)
	}
}

// The body cannot run a second time after the derivation: break or return follow it on
// every path. (fatcontext reports `for { ctx = wrap(ctx); break }`; a loop that stops
// after one pass does not grow anything.)
func onlyOnce(ctx context.Context, items []string) error {
	for _, item := range items {
		ctx = context.WithValue(ctx, key{"first"}, item)
		return handle(ctx, item)
	}
	for {
		ctx = context.WithValue(ctx, key{"once"}, true)
		break
	}
	return handle(ctx, "done")
}

// Deliberate accumulation: the loop only builds a context that is used after it, so each
// iteration does not use a context of its own. (The standard library's own tests build
// contexts this way.)
func buildForLater(ctx context.Context, pairs map[key]string) context.Context {
	for k, v := range pairs {
		ctx = context.WithValue(ctx, k, v)
	}
	return ctx
}

func buildInBenchmark(depth int) {
	ctx := context.Background()
	for i := 0; i < depth; i++ {
		ctx = context.WithValue(ctx, key{"level"}, i)
	}
	_ = ctx.Value(key{"level"})
}

// The range expression reads the context once, before the first iteration: still a builder.
func attachHeaders(ctx context.Context, headers func(context.Context) map[key]string) context.Context {
	for k, v := range headers(ctx) {
		ctx = context.WithValue(ctx, k, v)
	}
	return ctx
}

// A read earlier in the body uses the chain grown by the previous iteration.
func readBeforeGrowing(ctx context.Context, items []string) {
	for _, item := range items {
		_ = handle(ctx, item)
		ctx = context.WithValue(ctx, key{"seen"}, item) // want `ctx is re-derived from itself`
	}
}

// A use inside a function literal called per iteration counts as a use.
func useInClosure(ctx context.Context, items []string, run func(func())) {
	for _, item := range items {
		ctx = context.WithValue(ctx, key{"item"}, item) // want `ctx is re-derived from itself`
		run(func() { _ = handle(ctx, item) })
	}
}

// Without type information an arbitrary function may return its argument unchanged, so only
// the context package's constructors count as deriving a new layer.
func opaqueWrapper(ctx context.Context, items []string) {
	for _, item := range items {
		ctx = decorate(ctx, item)
		_ = handle(ctx, item)
	}
}

func decorate(ctx context.Context, item string) context.Context { return ctx }

// Outside any loop: a single extra layer.
func noLoop(ctx context.Context) {
	ctx = context.WithValue(ctx, key{"once"}, 1)
	_ = handle(ctx, "once")
}

// A function literal that reassigns a captured context grows it once per call; that is a
// different shape from a loop and is not reported by this rule.
func middleware(ctx context.Context) func() error {
	return func() error {
		ctx = context.WithValue(ctx, key{"call"}, true)
		return handle(ctx, "call")
	}
}
