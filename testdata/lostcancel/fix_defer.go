// Quick fix for a path leak when the cancel variable is only ever called:
// defer it right after the defining statement. One defer covers every
// leaking return; the existing call stays (calling twice is harmless).

package fixdefer

import (
	"context"
	"errors"
	"time"
)

var errInput = errors.New("bad input")

// Two leaking returns, both reported (vet reports only the first).
func guards(parent context.Context, name string, size int) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want `^the cancel function is not used on all paths`
	if name == "" {
		return errInput // want `defined on line 17$`
	}
	if size < 0 {
		return errInput // want `defined on line 17$`
	}
	err := ctx.Err()
	cancel()
	return err
}

func varForm(parent context.Context, skip bool) {
	var _, stop = context.WithCancel(parent) // want `^the stop function is not used on all paths`
	if skip {
		return // want `defined on line 30$`
	}
	stop()
}

func plainAssign(parent context.Context, skip bool) {
	var done context.CancelFunc
	_, done = context.WithDeadline(parent, time.Unix(0, 0)) // want `^the done function is not used on all paths`
	if !skip {
		done()
	}
} // want `defined on line 39$`

// Defined in an if initializer: no block to put the defer in, no fix.
func ifInitializer(parent context.Context, ready func(context.Context) bool) {
	if ctx, cancel := context.WithCancel(parent); ready(ctx) { // want `^the cancel function is not used on all paths`
		cancel()
	}
} // want `defined on line 47$`

// Inside a loop a defer would pile up one call per iteration, so the fix
// calls cancel before the leaking return instead.
func inLoop(parent context.Context, items []int) error {
	for range items {
		ctx, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
		if ctx.Err() != nil {
			return nil // want `defined on line 56$`
		}
		cancel()
	}
	return nil
}
