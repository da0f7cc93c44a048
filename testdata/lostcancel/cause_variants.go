// Beyond go vet 1.19: the Cause constructors (WithCancelCause, Go 1.20;
// WithTimeoutCause and WithDeadlineCause, Go 1.21) return cancel functions
// with the same obligation as their plain counterparts. Newer vet releases
// check them too; the first function restates vet's own WithCancelCause case.

package causevariants

import (
	"context"
	"errors"
	"io"
	"time"
)

var root = context.Background()

var errGaveUp = errors.New("gave up")

// Two sibling blocks, each with its own cancel variable: the first is
// deferred, the second is called on one branch only and leaks at the
// function's end.
func siblingBlocks(maybe bool) {
	{
		_, cancel := context.WithCancelCause(root)
		defer cancel(io.EOF)
	}
	{
		_, cancel := context.WithCancelCause(root) // want `^the cancel function is not used on all paths \(possible context leak\)$`
		if maybe {
			cancel(io.EOF)
		}
	}
} // want `^this return statement may be reached without using the cancel var defined on line 28$`

// Blank cancel functions, reported with the constructor's own name.
func blankCauses() {
	a, _ := context.WithCancelCause(root)                                  // want `^the cancel function returned by context\.WithCancelCause should be called, not discarded, to avoid a context leak$`
	b, _ := context.WithTimeoutCause(root, time.Second, errGaveUp)         // want `^the cancel function returned by context\.WithTimeoutCause should be called, not discarded, to avoid a context leak$`
	c, _ := context.WithDeadlineCause(root, time.Unix(0, 0), errGaveUp)    // want `^the cancel function returned by context\.WithDeadlineCause should be called, not discarded, to avoid a context leak$`
	var d, _ = context.WithTimeoutCause(root, time.Millisecond, errGaveUp) // want `^the cancel function returned by context\.WithTimeoutCause should be called, not discarded, to avoid a context leak$`
	_, _, _, _ = a, b, c, d
}

// The whole result dropped.
func droppedCause() {
	context.WithDeadlineCause(root, time.Unix(0, 0), errGaveUp) // want `^the cancel function returned by context\.WithDeadlineCause is never assigned, so it can never be called \(context leak\)$`
}

// Path leak with a Cause constructor. The cancel function of
// WithTimeoutCause takes no argument.
func earlyExit(fail bool) error {
	ctx, cancel := context.WithTimeoutCause(root, time.Second, errGaveUp) // want `^the cancel function is not used on all paths`
	if fail {
		return errGaveUp // want `^this return statement may be reached without using the cancel var defined on line 52$`
	}
	defer cancel()
	return ctx.Err()
}

// Deferred with a nil cause: fine.
func deferredNilCause() error {
	ctx, cancel := context.WithCancelCause(root)
	defer cancel(nil)
	return ctx.Err()
}

// Passing the cancel function on counts as a use.
func handOff(register func(context.CancelCauseFunc)) {
	_, cancel := context.WithCancelCause(root)
	register(cancel)
}

// Not covered: context.AfterFunc returns a stop function that callers may
// ignore (f simply runs when ctx is done), and WithoutCancel returns no
// function at all.
func notConstructors(ctx context.Context) {
	context.AfterFunc(ctx, func() { println("done") })
	stop := context.AfterFunc(ctx, func() {})
	_ = stop
	detached := context.WithoutCancel(ctx)
	_ = detached
}
