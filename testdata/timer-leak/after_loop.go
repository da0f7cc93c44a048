// ctxlsp:testdata go.mod=1.22
package timers

import (
	"errors"
	"time"
)

const idle = 30 * time.Second

// The classic: every message starts a 30 s timer that stays until it fires.
func consume(in <-chan int) error {
	for {
		select {
		case v := <-in:
			_ = v
		case <-time.After(idle): // want `time.After in a loop's select starts a new timer on every iteration, and before Go 1.23 \(this module: go 1.22\)`
			return errors.New("idle")
		}
	}
}

// The other case leaves the loop: at most one pending timer per call.
func once(in <-chan int) int {
	for {
		select {
		case v := <-in:
			return v
		case <-time.After(time.Second):
			println("still waiting")
		}
	}
}

// Not in a loop.
func single(in <-chan int) int {
	select {
	case v := <-in:
		return v
	case <-time.After(time.Second):
		return 0
	}
}

// The duration changes every iteration: reported, no fix.
func backoff(in <-chan int) {
	d := time.Millisecond
	for {
		select {
		case <-in:
		case <-time.After(d): // want `time.After in a loop's select`
			d *= 2
		}
	}
}
