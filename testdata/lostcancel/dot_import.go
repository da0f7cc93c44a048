// A dot import makes the constructors callable without a qualifier; they
// are still the context package's (vet only looks at qualified calls and
// misses these). A local variable with a constructor's name hides it.

package dotimport

import (
	. "context"
	"time"
)

func blankDotted(parent Context) Context {
	ctx, _ := WithCancel(parent) // want `^the cancel function returned by context\.WithCancel should be called, not discarded, to avoid a context leak$`
	return ctx
}

func leakDotted(parent Context, fail bool) error {
	ctx, cancel := WithTimeout(parent, time.Second) // want `^the cancel function is not used on all paths`
	if fail {
		return ctx.Err() // want `^this return statement may be reached without using the cancel var defined on line 18$`
	}
	cancel()
	return nil
}

func droppedDotted(parent Context) {
	WithDeadline(parent, time.Now()) // want `^the cancel function returned by context\.WithDeadline is never assigned, so it can never be called \(context leak\)$`
}

func localShadowsDotted(parent Context) Context {
	WithCancel := func(p Context) (Context, CancelFunc) { return p, func() {} }
	ctx, _ := WithCancel(parent)
	return ctx
}
