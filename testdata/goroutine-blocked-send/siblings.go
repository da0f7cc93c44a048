package blockedsend

import (
	"context"
	"errors"
)

func load() (int, error) { return 0, errors.New("x") }

// The goroutine sends on errCh or on resultCh, never both: receiving either takes its value.
func exclusive(ctx context.Context) (int, error) {
	errCh := make(chan error)
	resultCh := make(chan int)
	go func() {
		v, err := load()
		if err != nil {
			errCh <- err
			return
		}
		resultCh <- v
	}()
	select {
	case err := <-errCh:
		return 0, err
	case v := <-resultCh:
		return v, nil
	}
}

// errCh's send can only come before volCh's: once volCh is received, errCh is past.
func sequential() int {
	errCh := make(chan error)
	volCh := make(chan int)
	go func() {
		v, err := load()
		if err != nil {
			errCh <- err
		}
		volCh <- v
	}()
	select {
	case <-errCh:
		panic("unexpected")
	case v := <-volCh:
		return v
	}
}

// An early return still leaves whichever send comes first blocked: both are reported.
func earlyReturn(check func() error) (int, error) {
	errCh := make(chan error)
	resultCh := make(chan int)
	go func() {
		v, err := load()
		if err != nil {
			errCh <- err // want `send on unbuffered channel errCh blocks forever .*\(line 62\)`
			return
		}
		resultCh <- v // want `send on unbuffered channel resultCh blocks forever .*\(line 62\)`
	}()
	if err := check(); err != nil {
		return 0, err
	}
	select {
	case err := <-errCh:
		return 0, err
	case v := <-resultCh:
		return v, nil
	}
}
