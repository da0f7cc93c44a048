// ctxlsp:testdata go.mod=1.22
package timers

import "time"

// staticcheck SA1015's cases in ctx-lsp's words, before Go 1.23 semantics.

// A loop over the ticks that never ends: the ticker is in use for the life of the function.
func forever() {
	for range time.Tick(time.Second) {
		println("tick")
	}
}

// The loop can break, and the function returns: its ticker keeps firing forever.
func breaks() {
	for range time.Tick(time.Second) { // want `time.Tick's ticker can never be stopped, and before Go 1.23 \(go 1.22\)`
		println("tick")
		if true {
			break
		}
	}
}

// The same with a return.
func returns() {
	for range time.Tick(time.Second) { // want `time.Tick's ticker`
		println("tick")
		if true {
			return
		}
	}
}

// A goroutine literal that runs forever is its own function.
func goroutine() {
	go func() {
		for range time.Tick(time.Second) {
			println("tick")
		}
	}()
}

type server struct{}

// Endless methods, pointer and value receivers.
func (s *server) poll() {
	for range time.Tick(time.Second) {
		println("poll")
	}
}

func (s server) poll2() {
	for range time.Tick(time.Second) {
		println("poll")
	}
}

// Kept in a variable, with a function that returns.
func waitTwo() {
	c := time.Tick(time.Millisecond) // want `time.Tick's ticker`
	<-c
	<-c
}

// One ticker for the program: not inside a function.
var heartbeat = time.Tick(time.Minute)

type poller struct{ tick <-chan time.Time }

// Stored beyond the call: the poller uses the ticker after newPoller returns (SA1015 reports it).
func newPoller() *poller {
	p := &poller{}
	p.tick = time.Tick(time.Second)
	return p
}

func tickerChannel() <-chan time.Time {
	return time.Tick(time.Second)
}
