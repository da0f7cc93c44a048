// Names that look like the context API but are not it.
package lookalikes

import "time"

// A local type and function with context-like names: nothing here is context.Context.
type Context struct{ started time.Time }

func WithTimeout(d time.Duration) Context { return Context{started: time.Now()} }

var current Context

var scoped = WithTimeout(time.Second)

var perGoroutine = map[uint64]Context{}

var _ = []any{current, scoped, perGoroutine}
