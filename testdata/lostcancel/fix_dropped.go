// Quick fix for a dropped constructor result: assign the cancel function
// and defer it.

package fixdropped

import (
	"context"
	"time"
)

func dropped(ctx context.Context) {
	context.WithTimeout(ctx, time.Second) // want `is never assigned`
}

func droppedNameTaken(ctx context.Context, cancel context.CancelFunc) {
	defer cancel()
	context.WithCancel(ctx) // want `is never assigned`
}
