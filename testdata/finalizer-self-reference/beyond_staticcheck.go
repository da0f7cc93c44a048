// Shapes beyond SA5005: the address of a local, the object reached through a
// field, method values bound to the object, nested closures, renamed imports,
// and the look-alikes that must stay quiet.
package selfrefmore

import (
	"fmt"
	rt "runtime"
)

type buffer struct {
	data []byte
}

type holder struct {
	buf *buffer
}

type stream struct {
	ch chan int
}

func (s *stream) finalize(*stream) { close(s.ch) }

// The finalized object is the variable's own storage: mentioning the variable
// in the closure keeps it alive.
func addressOfLocal() *buffer {
	var b buffer
	rt.SetFinalizer(&b, func(*buffer) { // want `the finalizer closes over b \(the variable whose address is finalized\), so the object stays reachable and is never collected: the finalizer never runs; use the finalizer's parameter instead of b`
		fmt.Println(len(b.data))
	})
	return &b
}

// h.buf is reachable from h, and the closure captures h.
func objectReachedThroughField(h *holder) {
	rt.SetFinalizer(h.buf, func(*buffer) { // want `the finalizer closes over h, which holds the finalized object h\.buf, so the object stays reachable and is never collected`
		fmt.Println("dropping", h.buf != nil)
	})
}

// A mention inside a closure nested in the finalizer captures just the same.
func nestedClosure() *buffer {
	b := &buffer{}
	rt.SetFinalizer(b, func(*buffer) { // want `the finalizer closes over b`
		go func() { fmt.Println(len(b.data)) }()
	})
	return b
}

// A method value carries its receiver with it.
func boundMethodValue() *stream {
	s := &stream{ch: make(chan int)}
	rt.SetFinalizer(s, s.finalize) // want `the finalizer s\.finalize is a method value bound to s, so s stays reachable and is never collected: the finalizer never runs; pass the method expression \(\*stream\)\.finalize instead`
	return s
}

// Not reported: a method expression takes the object as its argument.
func methodExpression() *stream {
	s := &stream{ch: make(chan int)}
	rt.SetFinalizer(s, (*stream).finalize)
	return s
}

// Not reported: the parameter shadows the outer variable, the usual idiom.
func parameterShadowsVariable() *buffer {
	b := &buffer{}
	rt.SetFinalizer(b, func(b *buffer) { fmt.Println(len(b.data)) })
	return b
}

// Not reported: a local declared inside the closure shadows the object.
func localShadowsVariable() *buffer {
	b := &buffer{}
	rt.SetFinalizer(b, func(*buffer) {
		b := "released"
		fmt.Println(b)
	})
	return b
}

// Not reported: the closure mentions other variables only.
func capturesSomethingElse(label string) *buffer {
	b := &buffer{}
	rt.SetFinalizer(b, func(gone *buffer) { fmt.Println(label, len(gone.data)) })
	return b
}

// Not reported: the finalizer variable comes from elsewhere; its body is unknown.
func finalizerFromParameter(b *buffer, fin func(*buffer)) {
	rt.SetFinalizer(b, fin)
}

// Not reported: which closure reaches the call depends on the branch taken.
func finalizerChosenByBranch(verbose bool) *buffer {
	b := &buffer{}
	fin := func(gone *buffer) {}
	if verbose {
		fin = func(*buffer) { fmt.Println(len(b.data)) }
	}
	rt.SetFinalizer(b, fin)
	return b
}

type fakeRuntime struct{}

func (fakeRuntime) SetFinalizer(obj, finalizer any) {}

// Not reported: rt here is a local value, not the runtime package.
func shadowedPackageName() *buffer {
	rt := fakeRuntime{}
	b := &buffer{}
	rt.SetFinalizer(b, func(*buffer) { fmt.Println(len(b.data)) })
	return b
}

// Not reported: a global is not captured; the closure holds no reference to it.
var lastDropped *buffer

func mentionsGlobal() *buffer {
	b := &buffer{}
	rt.SetFinalizer(b, func(*buffer) { fmt.Println(lastDropped != nil) })
	return b
}
