// Contexts stored in fields and elements: the same storage re-derived from itself.
package loopctx

import (
	"context"
	"testing"
)

type session struct {
	ctx context.Context
}

type holder struct {
	Ctx context.Context
}

// A field of the receiver lives across iterations.
func (s *session) tagAll(items []string) {
	for _, item := range items {
		s.ctx = context.WithValue(s.ctx, key{"item"}, item) // want `s\.ctx is re-derived from itself`
		_ = handle(s.ctx, item)
	}
}

// Re-pointing the root starts afresh: each iteration works on another session's field.
func (s *session) acrossSessions(items []string, next func() *session) {
	for _, item := range items {
		s.ctx = context.WithValue(s.ctx, key{"item"}, item)
		_ = handle(s.ctx, item)
		s = next()
	}
}

// An element of a slice declared before the loop.
func tagFirst(holders []holder, items []string) {
	for _, item := range items {
		holders[0].Ctx = context.WithValue(holders[0].Ctx, key{"item"}, item) // want `holders\[0\]\.Ctx is re-derived from itself`
		_ = handle(holders[0].Ctx, item)
	}
}

// A struct value copied inside the loop is a fresh copy per iteration.
func copiedStruct(h holder, items []string) {
	for _, item := range items {
		c := h
		c.Ctx = context.WithValue(c.Ctx, key{"item"}, item)
		_ = handle(c.Ctx, item)
	}
	for _, item := range items {
		c := holder{Ctx: h.Ctx}
		c.Ctx = context.WithValue(c.Ctx, key{"item"}, item)
		_ = handle(c.Ctx, item)
	}
}

// Not reported (a known limit): a pointer copied inside the loop shares the same field
// across iterations, but without types a pointer copy looks like the struct copy above.
func copiedPointer(p *holder, items []string) {
	for _, item := range items {
		c := p
		c.Ctx = context.WithValue(c.Ctx, key{"item"}, item)
	}
}

// Test tables: the field is set from a fresh context before it is extended, and the
// assignments live in a function literal, not directly in the loop.
func TestTable(t *testing.T) {
	cases := []struct {
		name string
		ctx  context.Context
	}{
		{name: "plain"},
		{name: "tagged", ctx: context.WithValue(context.Background(), key{"tag"}, 1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.ctx == nil {
				tc.ctx = context.Background()
				tc.ctx = context.WithValue(tc.ctx, key{"default"}, true)
			}
			_ = handle(tc.ctx, tc.name)
		})
	}
}
