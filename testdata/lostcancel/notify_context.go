// Beyond go vet: os/signal.NotifyContext returns a stop function that
// unregisters the signal handler and releases the context; it carries the
// same obligation as a cancel function. Messages name it "stop function".

package notifycontext

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

func blankStop(parent context.Context) {
	ctx, _ := signal.NotifyContext(parent, os.Interrupt) // want `^the stop function returned by signal\.NotifyContext should be called, not discarded, to avoid a context leak$`
	<-ctx.Done()
}

func droppedStop(parent context.Context) {
	signal.NotifyContext(parent, syscall.SIGTERM) // want `^the stop function returned by signal\.NotifyContext is never assigned, so it can never be called \(context leak\)$`
}

func deferredStop(parent context.Context) error {
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return ctx.Err()
}

// The variable keeps whatever name the caller gives it; the messages use it.
func stopSkippedOnError(parent context.Context, ready func() bool) error {
	ctx, unhook := signal.NotifyContext(parent, os.Interrupt) // want `^the unhook function is not used on all paths \(possible context leak\)$`
	if !ready() {
		return errors.New("not ready") // want `^this return statement may be reached without using the unhook var defined on line 33$`
	}
	<-ctx.Done()
	unhook()
	return nil
}

// signal.Notify (no context) returns nothing to release.
func plainNotify(ch chan os.Signal) {
	signal.Notify(ch, os.Interrupt)
	defer signal.Stop(ch)
}
