package orders

import (
	"context"
	"log"
	"time"
)

func retry(ctx context.Context, attempts int, f func() error) error {
	for i := 0; i < attempts; i++ {
		if err := f(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
	return context.DeadlineExceeded
}

func heartbeat(done <-chan struct{}) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			log.Print("alive")
		case <-done:
			return
		}
	}
}

func debounce(events <-chan string) {
	timer := time.NewTimer(time.Hour)
	if !timer.Stop() {
		<-timer.C
	}
	for range events {
		timer.Reset(200 * time.Millisecond)
	}
}

func poll() {
	for range time.Tick(time.Minute) {
		log.Print("tick")
	}
}

func remindLater(msg string) {
	time.AfterFunc(time.Hour, func() { log.Print(msg) })
}

func probeWithDeadline(parent context.Context) {
	ctx, cancel := context.WithTimeout(parent, 50*time.Millisecond)
	_ = cancel
	<-ctx.Done()
}
