// The context package under another name, and a local that shadows the package name.
package loopctx

import (
	stdctx "context"
)

func renamedImport(ctx stdctx.Context, items []string) {
	for _, item := range items {
		ctx = stdctx.WithValue(ctx, key{"item"}, item) // want `ctx is re-derived from itself on every loop iteration \(context\.WithValue\)`
		_ = handle(ctx, item)
	}
}

type registry struct{}

func (registry) WithValue(parent int, k, v interface{}) int { return parent + 1 }

func shadowedPackageName(items []string) {
	context := registry{}
	n := 0
	for _, item := range items {
		n = context.WithValue(n, key{"item"}, item)
	}
	_ = n
}
