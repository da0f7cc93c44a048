// Work items, queue entries and per-request records carry a context to
// another goroutine: the context belongs to the request the item stands for.
// Not reported when the type is a channel's element type, is sent on a
// channel (directly or through a local), appended or pushed onto a queue, or
// stored in a map, anywhere in the package.
package ctxworkitems

import (
	"container/heap"
	"context"
)

type job struct {
	ctx  context.Context
	name string
}

type flushTask struct {
	ctx  context.Context
	keys []string
}

type pendingWrite struct {
	ctx  context.Context
	data []byte
}

type waiter struct {
	ctx   context.Context
	ready chan struct{}
}

type scheduled struct {
	ctx  context.Context
	when int
}

type dispatcher struct {
	jobs    chan *job
	queue   []*pendingWrite
	waiters map[int]*waiter
	tasks   taskHeap
}

func (d *dispatcher) submitFlush(ctx context.Context, keys []string, out chan<- flushTask) {
	out <- flushTask{ctx: ctx, keys: keys}
}

func (d *dispatcher) write(ctx context.Context, data []byte) {
	w := &pendingWrite{ctx: ctx, data: data}
	d.queue = append(d.queue, w)
}

func (d *dispatcher) wait(ctx context.Context, id int) {
	d.waiters[id] = &waiter{ctx: ctx, ready: make(chan struct{})}
}

func (d *dispatcher) schedule(ctx context.Context, when int) {
	heap.Push(&d.tasks, &scheduled{ctx: ctx, when: when})
}

type taskHeap []*scheduled

func (h taskHeap) Len() int            { return len(h) }
func (h taskHeap) Less(i, j int) bool  { return h[i].when < h[j].when }
func (h taskHeap) Swap(i, j int)       { h[i], h[j] = h[j], h[i] }
func (h *taskHeap) Push(x any)         { *h = append(*h, x.(*scheduled)) }
func (h *taskHeap) Pop() any           { old := *h; x := old[len(old)-1]; *h = old[:len(old)-1]; return x }

// A component that keeps its creator's context for later calls is still
// reported, even when it starts goroutines.
type Watcher struct {
	ctx     context.Context // want `struct field ctx stores a context`
	updates chan string
}

func (w *Watcher) Start() {
	go func() {
		<-w.ctx.Done()
		close(w.updates)
	}()
}
