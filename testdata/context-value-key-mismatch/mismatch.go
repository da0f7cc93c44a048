// Lookups whose key has another dynamic type than the stored key.

package keys

import (
	"context"
	"net/http"
)

type contextKey string

const traceIDKey contextKey = "trace-id"

const userKey = "user"

type tenantKey int

func withTrace(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, traceIDKey, id)
}

func withUser(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, userKey, name)
}

func withTenant(ctx context.Context, id int) context.Context {
	return context.WithValue(ctx, tenantKey(7), id)
}

func traceID(ctx context.Context) string {
	id, _ := ctx.Value("trace-id").(string) // want `^ctx\.Value\("trace-id"\) looks up a key of type string, but this package stores that value only under type contextKey \(traceIDKey\)`
	return id
}

func user(r *http.Request) string {
	name, _ := r.Context().Value(contextKey("user")).(string) // want `type contextKey, but this package stores that value only under type string \(userKey\)`
	return name
}

func tenant(ctx context.Context) int {
	id, _ := ctx.Value(7).(int) // want `type int, but this package stores that value only under type tenantKey \(tenantKey\(7\)\)`
	return id
}

// Matching lookups, unknown keys, values no store uses: not reported.
func fine(ctx context.Context, key any) {
	_ = ctx.Value(traceIDKey)
	_ = ctx.Value(userKey)
	_ = ctx.Value("user")
	_ = ctx.Value(tenantKey(7))
	_ = ctx.Value(key)
	_ = ctx.Value("never-stored")
	_ = ctx.Value(8)
}
