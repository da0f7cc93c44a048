// Types named like test doubles, in an ordinary file.
package ctxdoubles

import "context"

type fakeClient struct {
	ctx   context.Context
	calls int
	hits  int
	label string
}

func (f *fakeClient) Do() { _ = f.ctx; f.calls++ }

type StoreMock struct {
	lastCtx context.Context
	keys    []string
}

func (m *StoreMock) Get() { _ = m.lastCtx }

// A name that only contains "test" is not a double.
type contestEntry struct {
	ctx   context.Context // want `struct field ctx stores a context`
	score int
	name  string
	votes []int
}

func (c *contestEntry) submit() { _ = c.ctx }
