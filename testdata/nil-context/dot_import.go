// A dot-imported context package: the fix writes TODO().

package dot

import . "context"

func work(ctx Context) {}

func caller() {
	WithCancel(nil) // want `of context\.WithCancel`

	work(nil) // want `of work`
}

// A local function value shadows nothing at package level but is not the
// declared function.
func shadowed() {
	work := func(v any) {}
	work(nil)
}
