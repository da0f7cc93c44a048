// Types that are themselves contexts must hold their parent: that is how every derived
// context works (the context package's own cancelCtx and valueCtx embed their parent).
// They are not reported.
package wrappers

import (
	"context"
	"time"
)

// detached keeps the parent's values but is never cancelled; it declares Context methods,
// so it is a context implementation and its embedded parent is required.
type detached struct {
	context.Context
}

func (detached) Deadline() (time.Time, bool) { return time.Time{}, false }
func (detached) Done() <-chan struct{}       { return nil }
func (detached) Err() error                  { return nil }

// valuesFrom answers Value from a second context; both fields are part of the
// implementation (pointer receiver).
type valuesFrom struct {
	context.Context
	lookup context.Context
}

func (v *valuesFrom) Value(key any) any { return v.lookup.Value(key) }

// overlay's Value method lives in wrappers_methods.go, a sibling file of the same package.
type overlay struct {
	context.Context
	extra context.Context
}

// A struct that only embeds a context and is named as one is a context by construction:
// callers pass it wherever a context.Context is expected.
type traceCtx struct {
	context.Context
	traceID string
}

type RequestContext struct {
	context.Context
	User string
}

// Not a context implementation: no Context methods, no context in the name, and a named
// field (not an embedding). Reported.
type cache struct {
	parent context.Context // want `struct field parent stores a context`
	items  map[string]string
}

// Embedding in a type that is not a context by name or methods: reported.
type server struct {
	context.Context // want `embedded context\.Context stores a context in the struct`
	addr            string
}

// A type named ...Context or ...Ctx is a bundle of one operation's context and data (see
// operation_types.go): not reported.
type jobContext struct {
	ctx  context.Context
	name string
}

var (
	_ context.Context = detached{}
	_ context.Context = &valuesFrom{}
	_ context.Context = overlay{}
	_ context.Context = traceCtx{}
	_ context.Context = RequestContext{}
	_                 = cache{}
	_                 = server{}
	_                 = jobContext{}
)
