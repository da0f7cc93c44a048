// Keys whose type cannot be compared make WithValue panic ("key is not
// comparable") at run time: slices, maps and functions, conversions to
// them, and structs of this package with a field of such a type.
package keynoncomparable

import "context"

type withSlice struct {
	parts []string
}

type withMap struct {
	m map[string]int
}

type withFunc struct {
	f func()
}

type plain struct {
	a int
	b string
}

type withArray struct {
	a [2]int
}

var tableKey = []string{"a"}

func store(ctx context.Context, names []string) context.Context {
	ctx = context.WithValue(ctx, []byte(nil), 1)           // want `key of type \[\]byte is not comparable`
	ctx = context.WithValue(ctx, []int{1}, 1)              // want `key of type \[\]int is not comparable`
	ctx = context.WithValue(ctx, map[string]int{}, 1)      // want `key of type map\[string\]int is not comparable`
	ctx = context.WithValue(ctx, func() {}, 1)             // want `key of type func is not comparable`
	ctx = context.WithValue(ctx, make([]int, 0), 1)        // want `key of type \[\]int is not comparable`
	ctx = context.WithValue(ctx, withSlice{}, 1)           // want `key of type withSlice is not comparable`
	ctx = context.WithValue(ctx, withMap{m: nil}, 1)       // want `key of type withMap is not comparable`
	ctx = context.WithValue(ctx, withFunc{}, 1)            // want `key of type withFunc is not comparable`
	ctx = context.WithValue(ctx, names, 1)                 // want `key of type \[\]string is not comparable`
	ctx = context.WithValue(ctx, tableKey, 1)              // want `key of type \[\]string is not comparable`
	local := map[int]bool{}
	ctx = context.WithValue(ctx, local, 1)                 // want `key of type map\[int\]bool is not comparable`
	ctx = context.WithValue(ctx, plain{}, 1)               // comparable, and a type of its own
	ctx = context.WithValue(ctx, withArray{}, 1)           // arrays of comparable elements compare
	ctx = context.WithValue(ctx, &withSlice{}, 1)          // a pointer compares by address
	return ctx
}
