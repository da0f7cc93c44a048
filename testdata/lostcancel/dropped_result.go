// Beyond go vet: a constructor call used as a statement throws away both
// results; the cancel function can never be called. Reported on the call.
// Results passed on or returned whole are not dropped.

package dropped

import (
	"context"
	"time"
)

func droppedEach(ctx context.Context) {
	context.WithCancel(ctx)                    // want `^the cancel function returned by context\.WithCancel is never assigned, so it can never be called \(context leak\)$`
	context.WithTimeout(ctx, time.Second)      // want `^the cancel function returned by context\.WithTimeout is never assigned, so it can never be called \(context leak\)$`
	context.WithDeadline(ctx, time.Unix(0, 0)) // want `^the cancel function returned by context\.WithDeadline is never assigned, so it can never be called \(context leak\)$`
}

// Both results blank: the cancel function is discarded (vet reports this
// one too, at the second blank).
func bothBlank(ctx context.Context) {
	_, _ = context.WithCancel(ctx) // want `^the cancel function returned by context\.WithCancel should be called, not discarded, to avoid a context leak$`
}

// Both results passed straight on, or returned: someone else owns them.
func register(ctx context.Context, cancel context.CancelFunc) {}

func passedWhole(ctx context.Context) {
	register(context.WithCancel(ctx))
}

func returnedWhole(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, time.Second)
}

// Discarded in an if initializer is still discarded.
func blankInIfInit(ctx context.Context) {
	if c, _ := context.WithCancel(ctx); c.Err() == nil { // want `^the cancel function returned by context\.WithCancel should be called, not discarded, to avoid a context leak$`
		println("live")
	}
}
