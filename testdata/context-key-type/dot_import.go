// With a dot import, WithValue is the context package's function.
package dotkeys

import . "context"

func tag(ctx Context) Context {
	return WithValue(ctx, 42, "answer") // want `key has built-in type int`
}
