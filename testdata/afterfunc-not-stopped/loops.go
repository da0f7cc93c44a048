// ctxlsp:testdata go.mod=1.22
package afterfunc

import (
	"context"
	ctxpkg "context"
)

type job struct{ abort func() }

func (j job) run() error { return nil }

// stop is discarded on every iteration over a context that outlives the loop.
func runAll(ctx context.Context, jobs []job) {
	for _, j := range jobs {
		context.AfterFunc(ctx, j.abort) // want `stop function of context.AfterFunc is discarded inside a loop: every iteration leaves one more registration on ctx`
		_ = j.run()
	}
}

// Assigned to _ is discarded too; renamed import.
func runAllBlank(ctx context.Context, jobs []job) {
	for _, j := range jobs {
		_ = ctxpkg.AfterFunc(ctx, j.abort) // want `discarded inside a loop`
		_ = j.run()
	}
}

// A long-running goroutine's endless loop.
func watch(ctx context.Context, events <-chan job) {
	go func() {
		for ev := range events {
			context.AfterFunc(ctx, ev.abort) // want `registration on ctx`
		}
	}()
}

// stop is kept and called.
func stopped(ctx context.Context, jobs []job) {
	for _, j := range jobs {
		stop := context.AfterFunc(ctx, j.abort)
		_ = j.run()
		stop()
	}
}

// A per-iteration context: the registration ends with it.
func perIteration(parent context.Context, jobs []job) {
	for _, j := range jobs {
		ctx, cancel := context.WithCancel(parent)
		context.AfterFunc(ctx, j.abort)
		_ = j.run()
		cancel()
	}
}

// Outside a loop: one registration per call.
func once(ctx context.Context, j job) {
	context.AfterFunc(ctx, j.abort)
	_ = j.run()
}

// The loop body always returns: it runs once.
func first(ctx context.Context, jobs []job) error {
	for _, j := range jobs {
		context.AfterFunc(ctx, j.abort)
		return j.run()
	}
	return nil
}

// Reassigned inside the loop: a fresh context per iteration.
func reassigned(ctx context.Context, jobs []job) {
	for _, j := range jobs {
		ctx = context.WithoutCancel(ctx)
		context.AfterFunc(ctx, j.abort)
	}
}

// Not a plain identifier: lifetime not visible.
type server struct{ base context.Context }

func (s *server) serve(jobs []job) {
	for _, j := range jobs {
		context.AfterFunc(s.base, j.abort)
	}
}

// A context that is never done registers nothing: f never runs and nothing piles up.
func neverDone(jobs []job) {
	root := context.Background()
	tagged := context.WithValue(root, traceKey{}, "loop")
	detached := context.WithoutCancel(tagged)
	for _, j := range jobs {
		context.AfterFunc(root, j.abort)
		context.AfterFunc(tagged, j.abort)
		context.AfterFunc(detached, j.abort)
		context.AfterFunc(context.TODO(), j.abort)
	}
}

type traceKey struct{}

// The same variable may hold a cancelable context: still reported.
func sometimesCancelable(parent context.Context, jobs []job, scoped bool) {
	base := context.Background()
	if scoped {
		var cancel context.CancelFunc
		base, cancel = context.WithCancel(parent)
		defer cancel()
	}
	for _, j := range jobs {
		context.AfterFunc(base, j.abort) // want "every iteration leaves one more registration on base"
	}
}
