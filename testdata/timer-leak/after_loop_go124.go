// ctxlsp:testdata go.mod=1.24
package timers

import (
	"errors"
	tm "time"
)

// Go 1.23 semantics: only a hint (garbage, not a leak); renamed import.
func consume124(in <-chan int) error {
	for {
		select {
		case <-in:
		case <-tm.After(tm.Minute): // want `allocates a new timer and channel on every iteration; under Go 1.23 timer semantics \(this module: go 1.24\)`
			return errors.New("idle")
		}
	}
}

// Tick and an unstopped NewTicker are collected from Go 1.23: not reported.
func tick124() {
	for range tm.Tick(tm.Second) {
		break
	}
	t := tm.NewTicker(tm.Second)
	<-t.C
}
