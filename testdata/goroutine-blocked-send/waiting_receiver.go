package blockedsend

import (
	"context"
	"errors"
)

func prepare() error { return errors.New("x") }

func cleanup() {}

// The goroutine waits for done, which an early return never closes.
func watch(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		<-done // want `this receive from done blocks forever: the function that started the goroutine can return without sending on or closing done \(line 20\)`
		cleanup()
	}()
	if err := prepare(); err != nil {
		return err
	}
	close(done)
	return nil
}

// Any capacity: a receive waits whatever the buffer.
func handOff() error {
	values := make(chan int, 4)
	go func() {
		v := <-values // want `this receive from values blocks forever`
		_ = v
	}()
	if err := prepare(); err != nil {
		return err
	}
	values <- 1
	return nil
}

// Nothing ever sends or closes: the goroutine can never leave.
func forgotten() {
	stop := make(chan bool)
	go func() {
		<-stop // want `nothing sends on or closes stop`
		cleanup()
	}()
}

// Closed on every path: fine.
func closedEverywhere() error {
	done := make(chan struct{})
	go func() {
		<-done
		cleanup()
	}()
	if err := prepare(); err != nil {
		close(done)
		return err
	}
	close(done)
	return nil
}

// A deferred close: fine, and not this rule's business.
func deferredClose() error {
	done := make(chan struct{})
	defer close(done)
	go func() {
		<-done
		cleanup()
	}()
	return prepare()
}

// The goroutine also watches the context: it has a way out.
func withWayOut(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-ctx.Done():
		}
		cleanup()
	}()
	if err := prepare(); err != nil {
		return err
	}
	close(done)
	return nil
}

// A receiving loop is a stream the rule does not count.
func consumer(items []int) {
	work := make(chan int)
	go func() {
		for {
			v := <-work
			_ = v
		}
	}()
	for _, item := range items {
		work <- item
	}
}

// c2 has no receiver anywhere, so the select can only send on c (a block-profile test shape).
func selectSendSync() {
	c := make(chan bool)
	c2 := make(chan bool)
	go func() {
		<-c
	}()
	select {
	case c <- true:
	case c2 <- true:
	}
}
