// Every way a struct field can hold a context, plus look-alikes that hold none.
package shapes

import (
	"context"
	"sync"
	"time"
)

// No context anywhere: nothing to report.
type retryPolicy struct {
	attempts int
	backoff  time.Duration
}

type session struct {
	mu  sync.Mutex
	ctx context.Context // want `struct field ctx stores a context \(type context\.Context\).*hides its lifetime.*pass ctx as the first parameter`
	id  string
}

type lazyRoot struct {
	root *context.Context // want `struct field root stores a context \(type \*context\.Context\)`
}

type fanOut struct {
	waiting  []context.Context          // want `struct field waiting stores contexts \(type \[\]context\.Context\)`
	slots    [8]context.Context         // want `struct field slots stores contexts \(type \[8\]context\.Context\)`
	byTenant map[string]context.Context // want `struct field byTenant stores contexts`
	inFlight map[context.Context]int    // want `struct field inFlight stores contexts`
	handoff  chan context.Context       // want `struct field handoff stores contexts \(type chan context\.Context\)`
	deep     map[int][]*context.Context // want `struct field deep stores contexts`
	grouped  (context.Context)          // want `struct field grouped stores a context`
}

type pair struct {
	request, background context.Context // want `struct fields request, background store a context`
}

type tagged struct {
	ctx context.Context `json:"-"` // want `struct field ctx stores a context`
}

// Embedding makes every method of the parent context callable on the struct, which is how
// it usually ends up being passed around in place of a real ctx parameter.
type worker struct {
	context.Context // want `embedded context\.Context stores a context in the struct.*pass ctx as the first parameter`
	queue           []string
}

// Function-typed fields only mention Context in a signature; they hold code, not a context.
type callbacks struct {
	onStart  func(ctx context.Context) error
	newCtx   func() context.Context
	stop     context.CancelFunc
	handlers []func(context.Context)
	byName   map[string]func(context.Context) error
}

// An interface-typed field is a dependency whose methods take a ctx; no context is stored.
type runner interface {
	Run(ctx context.Context) error
}

type scheduler struct {
	run    runner
	inline interface {
		Run(ctx context.Context) error
	}
}

// Nested anonymous structs: the field that actually holds the context is reported, not the
// outer field whose type merely contains it.
type options struct {
	request struct {
		ctx     context.Context // want `struct field ctx stores a context`
		timeout time.Duration
	}
}

// Generic instantiation: a struct of a type parameter is not a context until instantiated;
// the type parameter itself is not reported.
type box[T any] struct {
	value T
}

type boxedCtx struct {
	b box[context.Context]
}

func localTypes() {
	// Struct types declared inside function bodies of non-test files are reported like any
	// other struct type.
	type job struct {
		ctx context.Context // want `struct field ctx stores a context`
	}
	_ = job{}

	state := struct {
		ctx context.Context // want `struct field ctx stores a context`
	}{ctx: context.Background()}
	_ = state
}

var _ = session{}
var _ = lazyRoot{}
var _ = fanOut{}
var _ = pair{}
var _ = tagged{}
var _ = worker{}
var _ = callbacks{}
var _ = scheduler{}
var _ = options{}
var _ = boxedCtx{}
