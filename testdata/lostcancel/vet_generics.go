// Expectations mirroring the type-parameter cases of go vet's lostcancel
// test suite, rewritten. Every report vet makes here has a want comment.
// (vet's WithCancelCause case needs Go 1.20 and lives in cause_variants.go.)

package vetgenerics

import (
	"context"
	"time"
)

var root = context.Background()

var maybe bool

// Type parameters do not change the analysis.
func genericLeak[T any]() {
	var _, cancel = context.WithCancel(root) // want `^the cancel function is not used on all paths \(possible context leak\)$`
	if maybe {
		_ = cancel
	}
} // want `^this return statement may be reached without using the cancel var defined on line 18$`

func genericDeferred[T comparable](v T) {
	_, cancel := context.WithCancel(root)
	defer cancel()
	_ = v
}

// A generic interface whose instantiation has the method set of
// context.Context: the parent's type does not matter, only the callee.
type lookalike[B any, K any] interface {
	Deadline() (deadline time.Time, ok B)
	Done() <-chan struct{}
	Err() error
	Value(key K) K
}

func parentIsLookalike(parent lookalike[bool, any]) {
	ctx, _ := context.WithCancel(parent)    // want `^the cancel function returned by context\.WithCancel should be called, not discarded, to avoid a context leak$`
	ctx, _ = context.WithTimeout(parent, 0) // want `^the cancel function returned by context\.WithTimeout should be called, not discarded, to avoid a context leak$`
	_ = ctx
}

// A method that happens to be called WithCancel, on a value that is not
// the context package: not a context constructor.
type deriver[P any] interface {
	WithCancel(parent lookalike[P, bool]) (lookalike[P, bool], func())
}

func methodNamedWithCancel(d deriver[any]) {
	child, _ := d.WithCancel(nil)
	_ = child
}

// Calling a func-typed field of a generic struct (Go issue 16143 again).
func callGenericFieldFunc() {
	type box[P any] struct{ get func() P }
	var b box[string]
	b.get()
}
