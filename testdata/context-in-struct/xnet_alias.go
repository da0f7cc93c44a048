// golang.org/x/net/context.Context is an alias of the standard context.Context since Go 1.9,
// so a field of that type stores a standard context.
package xnet

import (
	netctx "golang.org/x/net/context"
)

type legacyHandler struct {
	ctx netctx.Context // want `struct field ctx stores a context \(type netctx\.Context\)`
}

var _ = legacyHandler{}
