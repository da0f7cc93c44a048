// Keys whose type is built into the language collide with any other package that happens to
// pick the same value.
package builtinkeys

import (
	"context"
)

type userKey struct{}

type traceKey string

type tenantID int

const sessionName = "session" // untyped string constant

const maxRetries = 3 // untyped integer constant

const level int8 = 2 // constant of a built-in type

const (
	firstSlot = iota // untyped integer constants from an iota list
	secondSlot
)

const ratio = 1.5

const typedKey traceKey = "trace" // constant of a user-defined type: a proper key

func attach(ctx context.Context, anyKey any, name string, id int, v any) context.Context {
	ctx = context.WithValue(ctx, "user", v)                // want `context\.WithValue key has built-in type string.*collides.*define an unexported key type \(type ctxKey struct\{\}\)`
	ctx = context.WithValue(ctx, `raw-user`, v)            // want `key has built-in type string`
	ctx = context.WithValue(ctx, 7, v)                     // want `key has built-in type int`
	ctx = context.WithValue(ctx, 2.5, v)                   // want `key has built-in type float64`
	ctx = context.WithValue(ctx, 1i, v)                    // want `key has built-in type complex128`
	ctx = context.WithValue(ctx, 'k', v)                   // want `key has built-in type rune`
	ctx = context.WithValue(ctx, true, v)                  // want `key has built-in type bool`
	ctx = context.WithValue(ctx, sessionName, v)           // want `key has built-in type string`
	ctx = context.WithValue(ctx, maxRetries, v)            // want `key has built-in type int`
	ctx = context.WithValue(ctx, level, v)                 // want `key has built-in type int8`
	ctx = context.WithValue(ctx, secondSlot, v)            // want `key has built-in type int`
	ctx = context.WithValue(ctx, ratio, v)                 // want `key has built-in type float64`
	ctx = context.WithValue(ctx, string(typedKey), v)      // want `key has built-in type string`
	ctx = context.WithValue(ctx, int64(id), v)             // want `key has built-in type int64`
	ctx = context.WithValue(ctx, interface{}("legacy"), v) // want `key has built-in type string`
	ctx = context.WithValue(ctx, any(42), v)               // want `key has built-in type int`
	ctx = context.WithValue(ctx, ("wrapped"), v)           // want `key has built-in type string`
	ctx = context.WithValue(ctx, struct{}{}, v)            // want `context\.WithValue key is an empty anonymous struct \(struct\{\}\{\}\), which equals every other struct\{\}\{\} key.*type ctxKey struct\{\}`
	ctx = context.WithValue(ctx, name, v)                  // want `key has built-in type string`
	ctx = context.WithValue(ctx, id, v)                    // want `key has built-in type int`

	local := "local"
	ctx = context.WithValue(ctx, local, v) // want `key has built-in type string`
	const localConst = 9
	ctx = context.WithValue(ctx, localConst, v) // want `key has built-in type int`
	var empty struct{}
	ctx = context.WithValue(ctx, empty, v) // want `key is an empty anonymous struct`

	// Proper keys: types of their own.
	ctx = context.WithValue(ctx, userKey{}, v)
	ctx = context.WithValue(ctx, &userKey{}, v)
	ctx = context.WithValue(ctx, traceKey("t"), v)
	ctx = context.WithValue(ctx, typedKey, v)
	ctx = context.WithValue(ctx, tenantID(1), v)
	ctx = context.WithValue(ctx, struct{ name string }{"k"}, v)

	// Keys whose type is not known without type checking are not reported.
	ctx = context.WithValue(ctx, anyKey, v)
	ctx = context.WithValue(ctx, keyFor("user"), v)
	ctx = context.WithValue(ctx, defaultKey, v)
	// An interface variable's dynamic type may change on reassignment: not reported.
	dynamic := interface{}("dynamic")
	ctx = context.WithValue(ctx, dynamic, v)

	// A local that shadows a package-level constant takes its type from the local.
	sessionName := userKey{}
	ctx = context.WithValue(ctx, sessionName, v)
	return ctx
}

var defaultKey = keyFor("default")

func keyFor(name string) any { return traceKey(name) }

// Lookups are not reported: the key was chosen where the value was stored.
func lookup(ctx context.Context) any { return ctx.Value("user") }
