// Named results and bare returns. A bare return uses every named result,
// so it hands a named cancel result to the caller; it does not use a
// cancel variable that is not a result.

package namedresults

import (
	"context"
	"errors"
)

var errClosed = errors.New("closed")

// Explicit return without the cancel result leaks; the bare return does
// not. Beyond vet: vet skips cancel variables that are named results (its
// check for variables declared outside the function excludes them), so it
// misses this leak.
func openNamed(parent context.Context, closed bool) (ctx context.Context, cancel context.CancelFunc, err error) {
	ctx, cancel = context.WithCancel(parent) // want `^the cancel function is not used on all paths`
	if closed {
		return nil, nil, errClosed // want `^this return statement may be reached without using the cancel var defined on line 19$`
	}
	return
}

// The cancel variable is a plain local; the bare return only returns ctx
// and err.
func bareReturnNotAResult(parent context.Context, closed bool) (ctx context.Context, err error) {
	ctx, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
	if closed {
		err = errClosed
		return // want `^this return statement may be reached without using the cancel var defined on line 29$`
	}
	go func() {
		<-ctx.Done()
		cancel()
	}()
	return
}
