// The field is called only in closer.go, a sibling file of the package.

package siblings

import "context"

type holder struct {
	cancel context.CancelFunc
}

type orphan struct {
	cancel2 context.CancelFunc // want `field cancel2 is never called`
}

func make2(parent context.Context) (*holder, *orphan) {
	_, c := context.WithCancel(parent)
	_, d := context.WithCancel(parent)
	return &holder{cancel: c}, &orphan{cancel2: d}
}
