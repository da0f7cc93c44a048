// Types implementing interfaces declared in another package of the module
// (store.Compactor, asserted; store.Table, matched by method names).
package engine

import (
	"context"

	"example.com/ctxmod/store"
)

var _ store.Compactor = (*compactor)(nil)

type compactor struct {
	ctx     context.Context
	pending int
	run     func(context.Context) error
	hits  int
	label string
}

func (c *compactor) Compact() error { return c.run(c.ctx) }
func (c *compactor) Pending() int   { return c.pending }

type remoteTable struct {
	ctx  context.Context
	get  func(context.Context, string) ([]byte, error)
	name string
	hits  int
	label string
}

func (t *remoteTable) Get(key string) ([]byte, error) { return t.get(t.ctx, key) }
func (t *remoteTable) Close() error                   { return nil }

// A method name shared with no interface of the module: reported.
type poller struct {
	ctx   context.Context // want `struct field ctx stores a context`
	every int
	poll  func(context.Context) error
	fails int
}

func (p *poller) Poll() error { return p.poll(p.ctx) }
