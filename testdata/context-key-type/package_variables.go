// A package-level variable's type is decided by its declaration: a string
// literal makes it a string, whatever value it holds later.
package keyvars

import "context"

var sessionKey = "session"

var (
	retryKey   = 3
	labelKey   string
	markerKey  struct{}
	typedKey   key = "typed"
	pointerKey = new(int)
)

type key string

func store(ctx context.Context) context.Context {
	ctx = context.WithValue(ctx, sessionKey, 1) // want `built-in type string`
	ctx = context.WithValue(ctx, retryKey, 1)   // want `built-in type int`
	ctx = context.WithValue(ctx, labelKey, 1)   // want `built-in type string`
	ctx = context.WithValue(ctx, markerKey, 1)  // want `empty anonymous struct`
	ctx = context.WithValue(ctx, typedKey, 1)
	ctx = context.WithValue(ctx, pointerKey, 1)
	return ctx
}
