// The store is in store.go. This file does not import the context package.
// A local named like the stored key hides it: no fix.

package siblings

type getter interface{ Value(key any) any }

func requestID(ctx getter) string {
	id, _ := ctx.Value("request-id").(string) // want `only under type key \(requestIDKey\)`
	return id
}

func shadowed(ctx getter) string {
	requestIDKey := 1
	_ = requestIDKey
	id, _ := ctx.Value("request-id").(string) // want `only under type key`
	return id
}
