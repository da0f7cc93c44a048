// Shapes that keep one context per iteration alive until the function returns.
package deferloop

import (
	"context"
	"os"
	"os/signal"
	"time"
)

type endpoint struct {
	addr    string
	timeout time.Duration
}

func call(ctx context.Context, addr string) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	default:
		return nil
	}
}

// A range loop: one timer and one context per endpoint, all released only at return.
func probeAll(parent context.Context, endpoints []endpoint) {
	for _, ep := range endpoints {
		ctx, cancel := context.WithTimeout(parent, ep.timeout)
		defer cancel() // want `cancel is deferred inside a loop and runs only when the function returns`
		_ = call(ctx, ep.addr)
	}
}

// A three-clause loop with WithCancel.
func spawnWorkers(parent context.Context, n int) {
	for i := 0; i < n; i++ {
		ctx, cancel := context.WithCancel(parent)
		defer cancel() // want `every iteration's context stays alive`
		_ = call(ctx, "worker")
	}
}

// An endless loop that leaves at the top: the defer still runs once per iteration.
func pollUntilStopped(parent context.Context, stopped func() bool) error {
	for {
		if stopped() {
			return nil
		}
		ctx, cancel := context.WithTimeout(parent, time.Second)
		defer cancel() // want `timer`
		if err := call(ctx, "poll"); err != nil {
			return err
		}
	}
}

// A deferred closure that calls cancel holds the context just the same.
func deferredClosure(parent context.Context, names []string) {
	for _, name := range names {
		ctx, cancel := context.WithCancel(parent)
		defer func() { // want `cancel is deferred inside a loop`
			cancel()
		}()
		_ = call(ctx, name)
	}
}

// Handing cancel to a deferred helper keeps it (and its context) alive as well.
func deferredHelper(parent context.Context, names []string) {
	for _, name := range names {
		ctx, cancel := context.WithCancel(parent)
		defer runLater(cancel) // want `cancel is deferred inside a loop`
		_ = call(ctx, name)
	}
}

func runLater(f func()) { f() }

// Nested blocks inside the loop body still run once per iteration.
func nestedInIf(parent context.Context, names []string, limited bool) {
	for _, name := range names {
		if limited {
			ctx, cancel := context.WithTimeout(parent, time.Second)
			defer cancel() // want `cancel is deferred inside a loop`
			_ = call(ctx, name)
		} else {
			ctx, cancel := context.WithCancel(parent)
			defer cancel() // want `cancel is deferred inside a loop`
			_ = call(ctx, name)
		}
	}
}

func nestedInSwitch(parent context.Context, names []string) {
	for _, name := range names {
		switch name {
		case "":
			continue
		default:
			ctx, cancel := context.WithDeadline(parent, time.Now().Add(time.Minute))
			defer cancel() // want `cancel is deferred inside a loop`
			_ = call(ctx, name)
		}
	}
}

// The variable is declared before the loop, but every iteration assigns a new cancel
// function, and defer evaluates the function value on the spot.
func assignedInLoop(parent context.Context, names []string) {
	var ctx context.Context
	var cancel context.CancelFunc
	for _, name := range names {
		ctx, cancel = context.WithTimeout(parent, time.Second)
		defer cancel() // want `cancel is deferred inside a loop`
		_ = call(ctx, name)
	}
}

// signal.NotifyContext also registers for the signals and starts a watcher goroutine
// that stop releases.
func signalScoped(parent context.Context, names []string) {
	for _, name := range names {
		ctx, stop := signal.NotifyContext(parent, os.Interrupt)
		defer stop() // want `stop is deferred inside a loop.*signal registration`
		_ = call(ctx, name)
	}
}

// A failing attempt continues: the defers of failed attempts accumulate.
func firstReachable(parent context.Context, addrs []string) string {
	for _, addr := range addrs {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		defer cancel() // want `cancel is deferred inside a loop`
		if err := call(ctx, addr); err != nil {
			continue
		}
		return addr
	}
	return ""
}

// Only the inner loop repeats the defer per iteration; report it once.
func nestedLoops(parent context.Context, groups [][]string) {
	for _, group := range groups {
		for _, name := range group {
			ctx, cancel := context.WithCancel(parent)
			defer cancel() // want `cancel is deferred inside a loop`
			_ = call(ctx, name)
		}
	}
}

// A loop inside a goroutine's function literal is still a loop.
func loopInGoroutine(parent context.Context, names []string) {
	go func() {
		for _, name := range names {
			ctx, cancel := context.WithCancel(parent)
			defer cancel() // want `cancel is deferred inside a loop`
			_ = call(ctx, name)
		}
	}()
}

// Two cancel functions in one iteration: two findings.
func twoPerIteration(parent context.Context, names []string) {
	for _, name := range names {
		outer, cancelOuter := context.WithCancel(parent)
		defer cancelOuter() // want `cancelOuter is deferred inside a loop`
		inner, cancelInner := context.WithTimeout(outer, time.Second)
		defer cancelInner() // want `cancelInner is deferred inside a loop`
		_ = call(inner, name)
	}
}

// A loop written with goto repeats the defer just like a for statement.
func gotoLoop(parent context.Context, attempts int) {
again:
	attempts--
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel() // want `cancel is deferred inside a loop`
	if call(ctx, "retry") != nil && attempts > 0 {
		goto again
	}
}
