package blockedsend

import (
	"context"
	"sync"
)

var mu sync.Mutex
var shared int

// Reported, but no fix: code after the send may rely on the receiver having taken the value.
func afterSend(ctx context.Context) int {
	ch := make(chan int)
	go func() {
		ch <- 1 // want `send on unbuffered channel ch`
		mu.Lock()
		shared++
		mu.Unlock()
	}()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// Reported, but no fix: a deferred call runs after the send.
func deferred(ctx context.Context, wg *sync.WaitGroup) int {
	ch := make(chan int)
	wg.Add(1)
	go func() {
		defer wg.Done()
		ch <- 1 // want `send on unbuffered channel ch`
	}()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// Two sends on different paths: a buffer of two.
func twoSends(ctx context.Context, ok bool) int {
	ch := make(chan int)
	go func() {
		if ok {
			ch <- 1 // want `send on unbuffered channel ch.*make\(chan T, 2\)`
			return
		}
		ch <- 2
	}()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}
