package blockedsend

import (
	"context"
	"sync"
)

func use(chan int) {}

// Buffered: the goroutine can always finish.
func buffered(ctx context.Context) int {
	ch := make(chan int, 1)
	go func() { ch <- 1 }()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// The sender gives up too.
func senderSelects(ctx context.Context) int {
	ch := make(chan int)
	go func() {
		select {
		case ch <- 1:
		case <-ctx.Done():
		}
	}()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// Every path receives.
func alwaysReceives() int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	return <-ch
}

// The channel escapes: someone else may receive.
func escapes(ctx context.Context) int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	use(ch)
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// Ranged over: the rule cannot count.
func ranged(ctx context.Context) int {
	ch := make(chan int)
	go func() {
		ch <- 1
		close(ch)
	}()
	total := 0
	for v := range ch {
		total += v
		if ctx.Err() != nil {
			return total
		}
	}
	return total
}

// A goroutine per iteration.
func perIteration(items []int) int {
	ch := make(chan int)
	for _, item := range items {
		item := item
		go func() { ch <- item }()
	}
	if len(items) > 3 {
		return 0
	}
	return <-ch
}

// Receives in a counted loop.
func countedLoop(n int) int {
	ch := make(chan int)
	go func() {
		ch <- 1
		ch <- 2
	}()
	sum := 0
	for i := 0; i < n; i++ {
		sum += <-ch
	}
	return sum
}

// Two goroutines send.
func twoSenders(ctx context.Context) int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	go func() { ch <- 2 }()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// Receive-only and send-only channel types are not made this way in practice.
func directional(ctx context.Context, wg *sync.WaitGroup) {
	ch := make(<-chan int)
	_ = ch
	wg.Wait()
}

// A named function is started: its sends are out of sight.
func namedWorker(ctx context.Context) int {
	ch := make(chan int)
	go worker(ch)
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

func worker(ch chan int) { ch <- 1 }

// An endless receive loop never returns without receiving.
func endless(ch2 chan int) {
	ch := make(chan int)
	go func() { ch <- 1 }()
	for {
		select {
		case <-ch:
			return
		case v := <-ch2:
			_ = v
		}
	}
}
