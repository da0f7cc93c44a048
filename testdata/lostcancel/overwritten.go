// Beyond go vet: assigning a second constructor's result to the same
// cancel variable before the first cancel function was used loses the
// first one for good. vet silently forgets the first definition (it
// tracks the variable, not each assignment) and reports nothing here.
// The report goes on the first definition; the later, deferred
// definition is fine, so no path diagnostics appear.

package overwritten

import (
	"context"
	"time"
)

func straightLine(parent context.Context, d time.Duration) error {
	ctx, cancel := context.WithCancel(parent) // want `^the cancel function returned by context\.WithCancel on line 16 is overwritten on line 17 before it is used \(context leak\)$`
	ctx, cancel = context.WithTimeout(ctx, d)
	defer cancel()
	return ctx.Err()
}

func varForm(parent context.Context, at time.Time) error {
	var ctx, cancel = context.WithTimeout(parent, time.Minute) // want `^the cancel function returned by context\.WithTimeout on line 23 is overwritten on line 24 before it is used \(context leak\)$`
	ctx, cancel = context.WithDeadline(ctx, at)
	defer cancel()
	return ctx.Err()
}

// Overwritten on one branch only: on that branch the WithCancel child
// stays registered with its parent until the parent ends.
func overwrittenOnOneBranch(parent context.Context, limit time.Duration) error {
	ctx, cancel := context.WithCancel(parent) // want `^the cancel function returned by context\.WithCancel on line 32 is overwritten on line 34 before it is used \(context leak\)$`
	if limit > 0 {
		ctx, cancel = context.WithTimeout(ctx, limit)
	}
	defer cancel()
	return ctx.Err()
}

// The usual correct shape: defer each cancel before reassigning.
func deferBeforeReassign(parent context.Context, limit time.Duration) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	if limit > 0 {
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	return ctx.Err()
}

// A := in an inner block declares a new variable that shadows the outer
// one; nothing is overwritten.
func shadowNotOverwrite(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	{
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		_ = ctx
	}
	cancel()
	return ctx.Err()
}
