package server

import (
	"context"

	"example.com/keymod/keys"
)

func handle(ctx context.Context) context.Context {
	ctx = context.WithValue(ctx, keys.UserKey, "u")    // want `built-in type string`
	ctx = context.WithValue(ctx, keys.TenantKey, "t")  // want `built-in type string`
	ctx = context.WithValue(ctx, keys.Attempt, 2)      // want `built-in type int`
	ctx = context.WithValue(ctx, keys.TraceKey, "x")   // want `built-in type string`
	ctx = context.WithValue(ctx, keys.RequestKey, "r") // a defined type: fine
	ctx = context.WithValue(ctx, keys.Labels{}, nil)   // want `type keys\.Labels is not comparable`
	return ctx
}
