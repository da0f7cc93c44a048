// Shapes that must not be reported: the context does not outlive its iteration, or the
// deferred call is not a per-iteration cancel function.
package deferloop

import (
	"context"
	"sync"
	"time"
)

// The recommended shape: a function literal per iteration, so its defer runs per iteration.
func perIterationFunc(parent context.Context, names []string) {
	for _, name := range names {
		func() {
			ctx, cancel := context.WithTimeout(parent, time.Second)
			defer cancel()
			_ = call(ctx, name)
		}()
	}
}

// Calling cancel explicitly at the end of the iteration.
func explicitCancel(parent context.Context, names []string) {
	for _, name := range names {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		_ = call(ctx, name)
		cancel()
	}
}

// Every path leaves the function right after the defer: the loop body runs at most once
// past that point, so nothing accumulates.
func firstOnly(parent context.Context, names []string) error {
	for _, name := range names {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		defer cancel()
		return call(ctx, name)
	}
	return nil
}

func breakAfterDefer(parent context.Context) {
	for {
		ctx, cancel := context.WithCancel(parent)
		defer cancel()
		_ = call(ctx, "once")
		break
	}
}

// A goroutine's deferred cancel runs when that goroutine returns, not when this function does.
func perGoroutine(parent context.Context, names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			ctx, cancel := context.WithCancel(parent)
			defer cancel()
			_ = call(ctx, name)
		}(name)
	}
	wg.Wait()
}

// One context created before the loop: deferring its cancel repeatedly is odd, but it does
// not keep one context per iteration alive.
func createdBeforeLoop(parent context.Context, names []string) {
	ctx, cancel := context.WithCancel(parent)
	for _, name := range names {
		defer cancel()
		_ = call(ctx, name)
	}
	cancel()
}

// Deferred calls that are not cancel functions of a context.
func otherDefers(names []string) {
	var mu sync.Mutex
	for range names {
		t := time.NewTimer(time.Second)
		defer t.Stop()
		mu.Lock()
		defer mu.Unlock()
	}
}

// A local value named context is not the context package.
type fakeContexts struct{}

func (fakeContexts) WithCancel(parent int) (int, func()) { return parent, func() {} }

func shadowedPackage(names []string) {
	context := fakeContexts{}
	for i := range names {
		n, cancel := context.WithCancel(i)
		defer cancel()
		_ = n
	}
}

// The defer after the loop runs once.
func deferAfterLoop(parent context.Context, names []string) {
	var cancel context.CancelFunc = func() {}
	var ctx context.Context
	for _, name := range names {
		cancel()
		ctx, cancel = context.WithCancel(parent)
		_ = call(ctx, name)
	}
	defer cancel()
}
