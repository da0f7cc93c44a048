// A string key used only with WithValue and Value in this file: the fix introduces a key
// type and rewrites every use of the literal.
package fixintro

import (
	"context"
	"net/http"
)

func withRequestID(r *http.Request, id string) *http.Request {
	ctx := context.WithValue(r.Context(), "request-id", id) // want `key has built-in type string`
	return r.WithContext(ctx)
}

func withFixedRequestID(ctx context.Context) context.Context {
	return context.WithValue(ctx, `request-id`, "fixed") // want `key has built-in type string`
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value("request-id").(string)
	return id
}
