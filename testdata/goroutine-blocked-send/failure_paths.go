// ctxlsp:testdata path=failure_paths_test.go
package blockedsend

import (
	"testing"
	"time"
)

func slowValue() int { return 1 }

// The timeout path fails the test: a leak on a failing run is not reported (goleak covers tests).
func TestTimeout(t *testing.T) {
	c := make(chan int)
	go func() { c <- slowValue() }()
	select {
	case <-c:
	case <-time.After(time.Second):
		t.Error("timed out")
	}
}

// A custom failure helper named Fail (Ginkgo's) ends the path too.
func TestGinkgoStyle(t *testing.T) {
	done := make(chan bool)
	go func() { done <- true }()
	select {
	case <-done:
	case <-time.After(time.Second):
		Fail("still blocked")
	}
}

func Fail(string) { panic("fail") }

// A timeout path that does not fail the test leaks the goroutine.
func TestGivesUpQuietly(t *testing.T) {
	c := make(chan int)
	go func() { c <- slowValue() }() // want `send on unbuffered channel c`
	select {
	case <-c:
	case <-time.After(time.Second):
		t.Log("gave up")
	}
}
