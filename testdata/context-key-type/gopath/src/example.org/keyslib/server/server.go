package server

import (
	"context"

	"example.org/keyslib/keys"
)

func handle(ctx context.Context) context.Context {
	// staticcheck reports this line; ctx-lsp does not, by design: without a
	// go.mod the import path is not resolved (see the rule's doc).
	ctx = context.WithValue(ctx, keys.UserKey, "u")
	const local = "local"
	return context.WithValue(ctx, local, "l") // want `built-in type string`
}
