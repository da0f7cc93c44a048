// staticcheck SA1029's own cases, in our words. One deliberate difference:
// a local initialised with interface{}("...") is not reported (its static
// type is an interface; staticcheck follows the value through SSA).
package keysa1029

import "context"

type name string

type point struct {
	X int
}

type bag struct {
	Items []int
}

func cases(ctx context.Context, anyKey interface{}, text string) {
	context.WithValue(ctx, "greeting", nil) // want `built-in type string`
	context.WithValue(ctx, anyKey, nil)
	context.WithValue(ctx, text, nil) // want `built-in type string`
	boxed := interface{}("bytes")
	context.WithValue(ctx, boxed, nil) // deliberate difference: staticcheck reports it

	var own name
	context.WithValue(ctx, own, nil)
	reboxed := interface{}(own)
	context.WithValue(ctx, reboxed, nil)
	context.WithValue(ctx, name(""), nil)
	context.WithValue(ctx, string(own), nil) // want `built-in type string`

	context.WithValue(ctx, []byte(nil), nil) // want `key of type \[\]byte is not comparable`
	context.WithValue(ctx, point{}, nil)
	context.WithValue(ctx, bag{}, nil) // want `key of type bag is not comparable`

	context.WithValue(ctx, struct{ k string }{"k"}, nil)
	var nothing struct{}
	context.WithValue(ctx, struct{}{}, nil) // want `empty anonymous struct`
	context.WithValue(ctx, nothing, nil)    // want `empty anonymous struct`
}
