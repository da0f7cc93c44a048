// The context package under another local name is still the context package.
package renamed

import (
	stdctx "context"
	"net/http"
)

type client struct {
	http *http.Client
	ctx  stdctx.Context // want `struct field ctx stores a context \(type stdctx\.Context\)`
}

type relay struct {
	stdctx.Context // want `embedded stdctx\.Context stores a context in the struct`
	hops           int
}

// A local type that happens to be called Context is not the context package's.
type Context struct {
	user string
}

type request struct {
	meta Context
}

var _ = client{}
var _ = relay{}
var _ = request{}
