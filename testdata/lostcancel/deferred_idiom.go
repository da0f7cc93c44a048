// The idiom `ctx, cancel := context.WithX(...)` followed directly by
// `defer cancel()` is recognised on its syntax alone (no scopes or control
// flow graph). Everything that only looks like it still goes through the
// full analysis and is reported.

package deferredidiom

import (
	"context"
	"time"
)

func idiom(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	return ctx.Err()
}

func commentBetween(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	// cancelled when the function returns
	defer cancel()
	return ctx.Err()
}

func assignedNotDeclared(parent context.Context) error {
	var ctx context.Context
	var cancel context.CancelFunc
	ctx, cancel = context.WithCancel(parent)
	defer cancel()
	return ctx.Err()
}

// The next statement defers some other function: the cancel still leaks.
func defersSomethingElse(parent context.Context, stop func()) error {
	ctx, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
	defer stop()
	if ctx.Err() != nil {
		return ctx.Err() // want `^this return statement may be reached without using the cancel var defined on line 36$`
	}
	cancel()
	return nil
}

// The defer passes an argument: not the idiom, and here the cancel
// function is not the deferred one either.
func defersWithArgument(parent context.Context, done func(error)) error {
	ctx, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
	defer done(nil)
	if ctx.Err() != nil {
		return ctx.Err() // want `^this return statement may be reached without using the cancel var defined on line 48$`
	}
	cancel()
	return nil
}

// The defer comes one statement too late.
func deferTooLate(parent context.Context, check func() bool) error {
	ctx, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
	if check() {
		return nil // want `^this return statement may be reached without using the cancel var defined on line 59$`
	}
	defer cancel()
	return ctx.Err()
}
