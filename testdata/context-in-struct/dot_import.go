// A dot import makes the bare name Context refer to context.Context.
package dotted

import (
	. "context"
)

type pipeline struct {
	ctx    Context   // want `struct field ctx stores a context \(type Context\)`
	stages []Context // want `struct field stages stores contexts`
}

var _ = pipeline{}
var _ = Background
