// A file being edited: the first function is complete and still reports;
// the second is half-typed at the end of the buffer. Nothing is reported
// inside the broken function (its control flow is not known yet), and the
// checker must not crash. This file is deliberately not valid Go.

package syntaxerror

import (
	"context"
	"time"
)

func complete(parent context.Context, fail bool) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want `^the cancel function is not used on all paths`
	if fail {
		return ctx.Err() // want `^this return statement may be reached without using the cancel var defined on line 14$`
	}
	cancel()
	return nil
}

func halfTyped(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	if ctx.Err() != nil {
		return
