// The context package under other names, and values that only look like it.
package importkeys

import (
	stdctx "context"
)

type tracer struct{}

func (tracer) WithValue(key, value any) tracer { return tracer{} }

func renamed(ctx stdctx.Context) stdctx.Context {
	return stdctx.WithValue(ctx, "locale", "en") // want `key has built-in type string`
}

func notTheContextPackage(ctx stdctx.Context) stdctx.Context {
	// A method called WithValue on another type.
	_ = tracer{}.WithValue("span", 1)
	return ctx
}
