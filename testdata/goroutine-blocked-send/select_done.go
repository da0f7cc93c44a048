package blockedsend

import (
	"context"
	"errors"
	"time"
)

type result struct{ n int }

func slow() result { return result{1} }

// The classic: the caller gives up on ctx.Done and the sender is stuck.
func fetch(ctx context.Context) (result, error) {
	ch := make(chan result)
	go func() {
		ch <- slow() // want `send on unbuffered channel ch blocks forever .*\(line 23\).*make\(chan T, 1\)`
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
}

// A timeout instead of a context; the zero size is spelled out.
func withTimeout() (int, error) {
	done := make(chan int, 0)
	go func() {
		done <- 42 // want `send on unbuffered channel done`
	}()
	select {
	case n := <-done:
		return n, nil
	case <-time.After(time.Second):
		return 0, errors.New("timeout")
	}
}

// An early return on an error path comes before the receive.
func earlyReturn(check func() error) error {
	errc := make(chan error)
	go func() {
		errc <- check() // want `send on unbuffered channel errc blocks forever .*\(line 48\)`
	}()
	if err := check(); err != nil {
		return err
	}
	return <-errc
}

// A non-blocking receive can miss the value.
func nonBlocking() int {
	ch := make(chan int)
	go func() {
		ch <- 1 // want `send on unbuffered channel ch`
	}()
	select {
	case v := <-ch:
		return v
	default:
		return 0
	}
}
