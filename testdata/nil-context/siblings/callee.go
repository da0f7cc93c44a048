package siblings

import xctx "golang.org/x/net/context"

// fetch is declared in this file and called with nil from caller.go.
func fetch(
	ctx xctx.Context,
	url string,
) error {
	return nil
}

func notContext(v any, ctx xctx.Context) {}
