package orders

import (
	"context"
	"log"
	"runtime"
	"sync"
	"time"
)

type Worker struct {
	ctx   context.Context
	jobs  chan Order
	store Store
}

func NewWorker(ctx context.Context, store Store) *Worker {
	return &Worker{ctx: ctx, jobs: make(chan Order), store: store}
}

func (w *Worker) Run() {
	for {
		select {
		case <-w.ctx.Done():
			return
		case job := <-w.jobs:
			if err := w.store.Save(w.ctx, job); err != nil {
				log.Print(err)
			}
		}
	}
}

func StartPool(parent context.Context, n int, store Store) (stop func()) {
	ctx, cancel := context.WithCancel(parent)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				default:
					time.Sleep(10 * time.Millisecond)
				}
			}
		}()
	}
	return func() {
		cancel()
		wg.Wait()
	}
}

func Probe(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	_ = cancel
	go func() {
		<-ctx.Done()
		log.Print("probe finished")
	}()
}

func quit() {
	defer log.Print("worker exits")
	runtime.Goexit()
}

var buffers = sync.Pool{New: func() any { return new([]byte) }}

func withBuffer(f func(*[]byte)) {
	b := buffers.Get().(*[]byte)
	defer buffers.Put(b)
	f(b)
}
