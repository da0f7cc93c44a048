// Cancel functions kept in struct fields and package variables.

package fields

import (
	"context"
	"time"
)

type poller struct {
	ctx    context.Context
	cancel context.CancelFunc // want `^the cancel function kept in field cancel is never called or passed on in package fields`
}

func newPoller(parent context.Context) *poller {
	ctx, cancel := context.WithCancel(parent)
	p := &poller{ctx: ctx}
	p.cancel = cancel
	return p
}

type watcher struct {
	stop context.CancelCauseFunc
}

func (w *watcher) Close() {
	w.stop(nil)
}

type deferred struct {
	done context.CancelFunc
}

func (d *deferred) run() {
	defer d.done()
}

type passed struct {
	release context.CancelFunc
}

func (p *passed) hand(register func(func())) {
	register(p.release)
}

type copied struct {
	end context.CancelFunc
}

func run(parent context.Context) {
	ctx, finish := context.WithTimeout(parent, time.Second)
	c := copied{end: finish}
	_ = c
	<-ctx.Done()
	finish()
}

// Exported: other packages may call it.
type Handle struct {
	Cancel context.CancelFunc
}

var rootCtx, rootCancel = context.WithCancel(context.Background()) // want `package-level variable rootCancel is never called`

var stopAll context.CancelFunc

func shutdown() {
	if stopAll != nil {
		stopAll()
	}
}

var (
	_, discarded = context.WithCancel(context.Background())
	onlySet      context.CancelFunc // want `package-level variable onlySet`
)

func setOnly(c context.CancelFunc) {
	onlySet = c
	_ = rootCtx
	_ = discarded
}
