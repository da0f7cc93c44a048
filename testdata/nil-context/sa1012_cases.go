// The cases of staticcheck's SA1012 tests, in our own words: a nil first
// argument where the callee's first parameter is a context.Context.

package sa1012

import "context"

func load(ctx context.Context)                     {}
func store(key string, ctx context.Context)        {}
func noArguments()                                 {}
func each[E any](ctx context.Context, item E)      {}
func pair[A, B any](ctx context.Context, a A, b B) {}

type thing struct{}

func (*thing) Run() {}

func callers() {
	load(nil) // want `^nil passed as the context\.Context of load, which gets a context on which any method call`
	load(context.TODO())
	store("k", nil) // the context is not the first parameter
	noArguments()

	// A conversion, not a call of a context-taking function.
	_ = (func(context.Context))(nil)
	_ = (func())(nil)
	// A method expression: nil is the receiver.
	(*thing).Run(nil)

	each[int](nil, 0)         // want `of each, which`
	each(nil, 0)              // want `of each, which`
	pair[int, int](nil, 0, 0) // want `of pair, which`
	pair(nil, 0, 0)           // want `of pair, which`
}
