// A parameter or variable named context hides the package. Calls through
// it are method calls on that value, not context constructors, so nothing
// is reported. vet gets these wrong: without package information it falls
// back to comparing the identifier with "context" and reports them all.
// Once the shadowing scope ends, the name means the package again.

package shadowed

import (
	"context"
	"time"
)

// scope mimics a few constructor names on a value.
type scope struct{ name string }

func (scope) WithCancel(parent context.Context) (context.Context, func()) {
	return parent, func() {}
}

func (scope) WithTimeout(parent context.Context, d time.Duration) (context.Context, func()) {
	return parent, func() {}
}

func parameterNamedContext(context scope) {
	ctx, _ := context.WithCancel(nil)
	_, done := context.WithTimeout(ctx, time.Second)
	_ = done
}

func localNamedContext(parent context.Context, maybe bool) {
	context := scope{name: "local"}
	ctx, _ := context.WithCancel(parent)
	_, release := context.WithTimeout(ctx, time.Second)
	if maybe {
		release()
	}
}

func literalParameterNamedContext() func(scope) {
	return func(context scope) {
		ctx, _ := context.WithCancel(nil)
		_ = ctx
	}
}

// The shadow ends with its block; after it, context is the package.
func shadowEndsWithBlock(parent context.Context) {
	{
		context := scope{}
		ctx, _ := context.WithCancel(parent)
		_ = ctx
	}
	ctx, _ := context.WithCancel(parent) // want `^the cancel function returned by context\.WithCancel should be called, not discarded, to avoid a context leak$`
	_ = ctx
}
