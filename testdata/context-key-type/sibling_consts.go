// Constants used as keys here are declared in sibling_use.go, another file of the package.
package siblingkeys

import "context"

func remember(ctx context.Context, v any) context.Context {
	ctx = context.WithValue(ctx, requestKey, v) // want `key has built-in type string`
	ctx = context.WithValue(ctx, attemptKey, v) // want `key has built-in type int`
	return context.WithValue(ctx, properKey, v)
}
