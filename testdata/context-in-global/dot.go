// With a dot import the bare names Context and WithCancel come from the context package.
package dotglobals

import . "context"

var slot Context // want `package-level variable slot holds a context \(type Context\)`

var child, stop = WithCancel(Background()) // want `package-level variable child holds a context derived with context\.WithCancel`

var fine = Background()

var _ = []any{slot, child, stop, fine}
