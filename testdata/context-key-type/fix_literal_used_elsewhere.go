// The literal also appears outside WithValue/Value, so rewriting it could change behaviour
// (here the same string names a header). No fix is offered (tests/rules/test_context_key_type.py).
package fixelsewhere

import (
	"context"
	"net/http"
)

func fromHeader(r *http.Request) context.Context {
	return context.WithValue(r.Context(), "X-Tenant", r.Header.Get("X-Tenant")) // want `key has built-in type string`
}

func tenant(ctx context.Context) string {
	t, _ := ctx.Value("X-Tenant").(string)
	return t
}
