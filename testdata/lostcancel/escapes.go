// Beyond go vet's suite (vet agrees on every case): what counts as a use
// of the cancel variable, and where responsibility is handed elsewhere.

package escapes

import (
	"context"
	"time"
)

type worker struct {
	stop context.CancelFunc
}

var shutdownAll context.CancelFunc

var pending = map[string]context.CancelFunc{}

var maybe bool

// Stored straight into a struct field, a map element or a package-level
// variable: whoever owns that storage must call it. Not tracked.
func (w *worker) start(parent context.Context) context.Context {
	var ctx context.Context
	ctx, w.stop = context.WithCancel(parent)
	return ctx
}

func startGlobal(parent context.Context) context.Context {
	var ctx context.Context
	ctx, shutdownAll = context.WithCancel(parent)
	return ctx
}

func startPending(parent context.Context, id string) context.Context {
	var ctx context.Context
	ctx, pending[id] = context.WithTimeout(parent, time.Minute)
	return ctx
}

// Storing a local cancel variable is a use.
func (w *worker) adopt(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	w.stop = cancel
	return ctx
}

// Returning it hands it to the caller.
func derive(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	return ctx, cancel
}

// Passing it, sending it and comparing it are uses.
func passOn(parent context.Context, keep func(context.CancelFunc), out chan<- context.CancelFunc) {
	_, a := context.WithCancel(parent)
	keep(a)
	_, b := context.WithCancel(parent)
	out <- b
	_, c := context.WithCancel(parent)
	if c == nil {
		println("impossible")
	}
}

// Assigning it to the blank identifier is an explicit use.
func blankAssignment(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	_ = cancel
	return ctx
}

// A mention inside a function literal counts, even if the literal may
// never run: the literal has taken over the responsibility.
func mentionedInLiteral(parent context.Context, onDone func(func())) {
	_, cancel := context.WithCancel(parent)
	onDone(func() {
		cancel()
	})
}

func cancelledByGoroutine(parent context.Context, done <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		<-done
		cancel()
	}()
	return ctx
}

// The variable belongs to the enclosing function and is only assigned in
// the literal: the literal does not own it, and the enclosing function
// never assigns it from a constructor itself. Not reported.
func assignedInLiteralOnly(parent context.Context, run func(func())) {
	var cancel context.CancelFunc
	run(func() {
		_, cancel = context.WithCancel(parent)
	})
	keep(cancel)
}

func keep(context.CancelFunc) {}

// Handed over on one branch only: the other branch leaks.
func handedOverSometimes(parent context.Context, register func(context.CancelFunc)) {
	_, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
	if maybe {
		register(cancel)
	}
} // want `^this return statement may be reached without using the cancel var defined on line 106$`
