// ctxlsp:testdata go.mod=1.21
package timers

import (
	"context"
	"time"
)

func work() {}

// Never stopped: leaks a ticker per call before Go 1.23.
func pollUntil(ctx context.Context) error {
	ticker := time.NewTicker(time.Second) // want `ticker \(a time.NewTicker\) is never stopped, and before Go 1.23 \(go 1.21\)`
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
			work()
		}
	}
}

// Stopped: fine.
func stopped(ctx context.Context) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			work()
		}
	}
}

// Escapes: may be stopped elsewhere.
func escapes() *time.Ticker {
	t := time.NewTicker(time.Second)
	return t
}

// Used in a goroutine: the goroutine owns it.
func inGoroutine() {
	t := time.NewTicker(time.Second)
	go func() {
		for range t.C {
			work()
		}
	}()
}

// Never returns: in use for the life of the function.
func endless() {
	t := time.NewTicker(time.Second)
	for range t.C {
		work()
	}
}

// .C of a fresh ticker: nothing can stop it.
func direct() {
	<-time.NewTicker(time.Second).C // want `the ticker of time.NewTicker\(...\).C can never be stopped`
}

// Inside a loop: reported, but a defer in the loop would pile up, so no fix.
func inLoop(n int) {
	for i := 0; i < n; i++ {
		t := time.NewTicker(time.Millisecond) // want `t \(a time.NewTicker\) is never stopped`
		<-t.C
	}
}

type client struct{ tick <-chan time.Time }

// Stored in a struct: in use for as long as the struct is.
func newClient() *client {
	return &client{tick: time.NewTicker(time.Second).C}
}
