// A function of the package that returns a context derived from its
// parameter grows the chain like the constructor it wraps. Its body is read
// from any file of the package (the package facts), without type checking.
package loopwrappers

import (
	"context"
	"time"
)

type requestKey struct{}

func withRequest(ctx context.Context, id int) context.Context {
	return context.WithValue(ctx, requestKey{}, id)
}

func detach(ctx context.Context) context.Context {
	return context.WithoutCancel(ctx)
}

// Derived through a local first.
func withDeadline(parent context.Context, d time.Duration) context.Context {
	ctx, _ := context.WithTimeout(parent, d)
	return ctx
}

// The context is the second parameter.
func tagged(name string, ctx context.Context) context.Context {
	return context.WithValue(ctx, requestKey{}, name)
}

// Returns its argument unchanged on one path: not a wrapper.
func maybe(ctx context.Context, ok bool) context.Context {
	if ok {
		return context.WithValue(ctx, requestKey{}, 1)
	}
	return ctx
}

// Returns another context: not a wrapper.
func fresh(ctx context.Context) context.Context {
	return context.Background()
}

func handle(ctx context.Context, ids []int) {
	for _, id := range ids {
		ctx = withRequest(ctx, id) // want `ctx is re-derived from itself on every loop iteration \(withRequest, which returns a context derived from its argument\)`
		use(ctx)
	}
}

func detachEach(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		ctx = detach(ctx) // want `\(detach, which returns`
		use(ctx)
	}
}

func deadlines(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		ctx = withDeadline(ctx, time.Second) // want `\(withDeadline, which returns`
		use(ctx)
	}
}

func secondParameter(ctx context.Context, names []string) {
	for _, name := range names {
		ctx = tagged(name, ctx) // want `\(tagged, which returns`
		use(ctx)
	}
}

func notWrappers(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		ctx = maybe(ctx, i > 0)
		ctx = fresh(ctx)
		use(ctx)
	}
}

// A fresh variable per iteration: fine.
func perIteration(ctx context.Context, ids []int) {
	for _, id := range ids {
		ctx := withRequest(ctx, id)
		use(ctx)
	}
}

// A local function value of the same name is not the wrapper.
func shadowed(ctx context.Context, ids []int) {
	withRequest := func(ctx context.Context, id int) context.Context { return ctx }
	for _, id := range ids {
		ctx = withRequest(ctx, id)
		use(ctx)
	}
}

func use(context.Context) {}
