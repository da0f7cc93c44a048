// Quick fix: `=` becomes `:=` when that cannot change what code after the loop sees and the
// new per-iteration variable is used later in the iteration.
package loopctx

import (
	"context"
	"time"
)

func fixSimple(ctx context.Context, items []string) {
	for _, item := range items {
		ctx = context.WithValue(ctx, key{"item"}, item) // want `ctx is re-derived from itself`
		_ = handle(ctx, item)
	}
}

// The later assignment now extends the per-iteration variable.
func fixFirstOfTwo(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		ctx = context.WithValue(ctx, key{"attempt"}, i) // want `ctx is re-derived from itself`
		if i > 0 {
			ctx = context.WithValue(ctx, key{"retry"}, true)
		}
		_ = handle(ctx, "job")
	}
}

// No fix: code after the loop reads the accumulated context.
func noFixReadAfter(ctx context.Context, items []string) context.Context {
	for _, item := range items {
		ctx = context.WithValue(ctx, key{"item"}, item) // want `ctx is re-derived from itself`
		_ = handle(ctx, item)
	}
	return ctx
}

// No fix: inside a nested block `:=` would hide the value from the rest of the iteration.
func noFixNested(ctx context.Context, items []string) {
	for _, item := range items {
		if item != "" {
			ctx = context.WithValue(ctx, key{"item"}, item) // want `ctx is re-derived from itself`
		}
		_ = handle(ctx, item)
	}
}

// No fix: nothing later in the iteration reads the new variable, so `:=` would not compile.
func noFixUnusedAfter(ctx context.Context, items []string) {
	for _, item := range items {
		_ = handle(ctx, item)
		ctx = context.WithValue(ctx, key{"seen"}, item) // want `ctx is re-derived from itself`
	}
}

// No fix: the cancel variable declared before the loop would be left unused.
func noFixOuterCancelUnused(ctx context.Context, items []string) {
	var cancel context.CancelFunc
	for _, item := range items {
		ctx, cancel = context.WithTimeout(ctx, time.Second) // want `ctx is re-derived from itself`
		_ = handle(ctx, item)
		cancel()
	}
}

// Both variables become per-iteration ones: neither is read after the loop, both are used
// later in the iteration and the outer cancel is still used before the loop.
func fixBoth(parent context.Context, items []string) {
	ctx, cancel := context.WithCancel(parent)
	cancel()
	for _, item := range items {
		ctx, cancel = context.WithTimeout(ctx, time.Second) // want `ctx is re-derived from itself`
		_ = handle(ctx, item)
		cancel()
	}
}

// No fix: a field cannot be declared with `:=`.
func (s *session) noFixField(items []string) {
	for _, item := range items {
		s.ctx = context.WithValue(s.ctx, key{"item"}, item) // want `s\.ctx is re-derived from itself`
		_ = handle(s.ctx, item)
	}
}
