// Goroutines that can never return, started where a context is available but never used.
package goctx

import (
	"context"
	"net/http"
	"sync"
	"time"
)

func work()                      {}
func process(v int)              {}
func report(ctx context.Context) {}

// An endless loop without a single exit.
func startTicker(ctx context.Context) {
	go func() { // want `this goroutine can never return and never uses ctx`
		for {
			work()
			time.Sleep(time.Second)
		}
	}()
	report(ctx)
}

// An empty select blocks forever.
func parkForever(ctx context.Context) {
	go func() { // want `blocks forever in select \{\}.*never uses ctx`
		work()
		select {}
	}()
	report(ctx)
}

// Receiving forever: nothing ever ends the loop, even when the channel is closed.
func drain(ctx context.Context, values <-chan int) {
	go func() { // want `cancelling ctx cannot stop it`
		for {
			select {
			case v := <-values:
				process(v)
			}
		}
	}()
	report(ctx)
}

// break inside select or switch leaves only that statement, not the loop.
func breakLeavesSelectOnly(ctx context.Context, values <-chan int, quit <-chan struct{}) {
	go func() { // want `this goroutine can never return`
		for {
			select {
			case v := <-values:
				process(v)
			case <-quit:
				break
			}
		}
	}()
	go func() { // want `this goroutine can never return`
		for {
			switch v := <-values; {
			case v < 0:
				break
			default:
				process(v)
			}
		}
	}()
	report(ctx)
}

// continue and a labelled break of an inner loop keep the outer loop going.
func innerExitsOnly(ctx context.Context, batches <-chan []int) {
	go func() { // want `this goroutine can never return`
		for {
			batch := <-batches
		scan:
			for _, v := range batch {
				if v < 0 {
					break scan
				}
				if v == 0 {
					continue
				}
				process(v)
			}
		}
	}()
	report(ctx)
}

// A return inside a nested function literal returns from that literal only.
func returnInNestedLiteral(ctx context.Context) {
	go func() { // want `this goroutine can never return`
		for {
			step := func() bool {
				return true
			}
			_ = step()
		}
	}()
	report(ctx)
}

// A context created locally counts as well.
func localContext(values <-chan int) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // want `never uses ctx`
		for {
			process(<-values)
		}
	}()
	report(ctx)
}

// The literal receives the context as a parameter and then ignores it.
func ignoredParameter(ctx context.Context, values <-chan int) {
	go func(c context.Context) { // want `never uses c`
		for {
			process(<-values)
		}
	}(ctx)
}

type poller struct {
	mu sync.Mutex
	n  int
}

// A method with a context parameter; the go statement sits in a nested block.
func (p *poller) Start(ctx context.Context, enabled bool) {
	if enabled {
		go func() { // want `never uses ctx`
			defer p.mu.Unlock()
			p.mu.Lock()
			for {
				p.n++
			}
		}()
	}
	report(ctx)
}

// A goroutine started from inside another function literal still sees the outer ctx.
func nestedLiteral(ctx context.Context) func() {
	return func() {
		go func() { // want `never uses ctx`
			select {}
		}()
	}
}

// A context obtained from a request is a context at hand too.
func handler(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	go func() { // want `never uses ctx`
		for {
			work()
		}
	}()
	report(ctx)
}

// One goroutine per iteration, none of which ever ends.
func perItem(ctx context.Context, items []int) {
	for _, item := range items {
		go func(item int) { // want `this goroutine can never return`
			for {
				process(item)
			}
		}(item)
	}
	report(ctx)
}
