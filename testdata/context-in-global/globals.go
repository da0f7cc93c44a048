// Package-level variables that hold contexts, and the root contexts that are fine.
package globals

import (
	"context"
	"sync"
	"time"
)

type tenantKey struct{}

// Roots: Background and TODO are never cancelled and carry no values, so a package-level
// copy of one is just a shorthand. Not reported.
var root = context.Background()

var placeholder = context.TODO()

var base context.Context = context.Background()

var (
	bgA, bgB context.Context = context.Background(), context.TODO()
)

// A context slot that code assigns to later: every caller shares whatever was stored last.
var current context.Context // want `package-level variable current holds a context \(type context\.Context\).*shared by every goroutine.*pass ctx as the first parameter`

var (
	appCtx, stopApp = context.WithCancel(context.Background())               // want `package-level variable appCtx holds a context derived with context\.WithCancel`
	shortLived, _   = context.WithTimeout(context.Background(), time.Minute) // want `package-level variable shortLived holds a context derived with context\.WithTimeout`
	withTenant      = context.WithValue(root, tenantKey{}, "acme")           // want `package-level variable withTenant holds a context derived with context\.WithValue`
)

// An explicit type plus a derived initialiser: reported once, for the derived context.
var typedDerived context.Context = context.WithValue(root, tenantKey{}, "x") // want `package-level variable typedDerived holds a context`

// Goroutine-keyed maps of contexts: the goroutine-local storage emulation.
var byGoroutine = map[uint64]context.Context{} // want `package-level variable byGoroutine holds contexts \(type map\[uint64\]context\.Context\).*goroutine-local storage is emulated`

var byGID = make(map[int64]context.Context) // want `package-level variable byGID holds contexts.*goroutine-local storage is emulated`

var explicitMap map[uintptr]*context.Context // want `package-level variable explicitMap holds contexts.*goroutine-local storage is emulated`

// Containers keyed by something else are still shared context storage, but not a
// goroutine-ID table, so the message does not say goroutine-local storage.
var byTenant = map[string]context.Context{} // want `package-level variable byTenant holds contexts \(type map\[string\]context\.Context\): a global`

var pending []context.Context // want `package-level variable pending holds contexts`

var fixed [4]context.Context // want `package-level variable fixed holds contexts`

var handoff = make(chan context.Context, 1) // want `package-level variable handoff holds contexts`

var boxed = new(context.Context) // want `package-level variable boxed holds a context \(type \*context\.Context\)`

var listed = []context.Context{context.Background()} // want `package-level variable listed holds contexts`

var (
	first, second context.Context // want `package-level variable first holds a context` `package-level variable second holds a context`
)

// Functions and cancel functions hold no context.
var newRequestCtx = func() context.Context { return context.Background() }

var handler func(context.Context) error

var cancelAll context.CancelFunc

// Struct-typed globals are context-in-struct's business (the field is what stores).
var registry struct {
	mu   sync.Mutex
	ctxs map[uint64]context.Context
}

func useLocals() {
	// Locals are not package-level.
	var local context.Context
	cache := map[uint64]context.Context{}
	_, _ = local, cache
}

var _ = []any{root, placeholder, base, bgA, bgB, current, appCtx, stopApp, shortLived, withTenant,
	typedDerived, byGoroutine, byGID, explicitMap, byTenant, pending, fixed, handoff, boxed, listed,
	first, second, newRequestCtx, handler, cancelAll, &registry}
