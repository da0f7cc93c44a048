// Beyond go vet: vet stops at the first leaking return it finds (in its
// own search order); ctx-lsp reports every return that can be reached from
// the definition without a use, so that each one can be fixed. The
// definition itself is still reported once. Beyond guardClauses and
// explicitAndImplicit, each function has a single leaking return, and vet
// reports exactly the lines wanted here.

package everyreturn

import (
	"context"
	"errors"
	"time"
)

var errInput = errors.New("bad input")

// Three guard clauses before the cancel function is deferred: all three
// leak. Go 1.19 vet reports only the first (line of the name check).
func guardClauses(parent context.Context, name string, size int) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want `^the cancel function is not used on all paths`
	if name == "" {
		return errInput // want `^this return statement may be reached without using the cancel var defined on line 21$`
	}
	if size < 0 {
		return errInput // want `^this return statement may be reached without using the cancel var defined on line 21$`
	}
	if size > 1<<20 {
		return errors.New("too big") // want `^this return statement may be reached without using the cancel var defined on line 21$`
	}
	defer cancel()
	return ctx.Err()
}

// An explicit return and the implicit one at the closing brace both leak;
// the return after the call does not. Go 1.19 vet reports only the
// explicit one (case 0).
func explicitAndImplicit(parent context.Context, mode int) {
	_, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
	switch mode {
	case 0:
		return // want `^this return statement may be reached without using the cancel var defined on line 39$`
	case 1:
		cancel()
		return
	}
} // want `^this return statement may be reached without using the cancel var defined on line 39$`

// A return that one path reaches after cancelling and another path
// reaches without: it may be reached without a use, so it is reported.
func joinedPaths(parent context.Context, early bool) error {
	ctx, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
	if early {
		cancel()
	}
	return ctx.Err() // want `^this return statement may be reached without using the cancel var defined on line 52$`
}

// A return inside a loop body, taken before the call at the loop's end.
func returnInLoop(parent context.Context, items []string) error {
	_, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
	for _, it := range items {
		if it == "" {
			return errInput // want `^this return statement may be reached without using the cancel var defined on line 61$`
		}
	}
	cancel()
	return nil
}

// Returns before the definition are not reachable from it and never
// reported; returns after a use on every path are fine.
func returnsBeforeDefinition(parent context.Context, skip bool) error {
	if skip {
		return nil
	}
	ctx, cancel := context.WithCancel(parent)
	cancel()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

// Two cancel variables in one function are tracked independently: only
// the inner one leaks, on one return.
func twoVariables(parent context.Context, fail bool) error {
	outer, cancelOuter := context.WithCancel(parent)
	defer cancelOuter()
	_, cancelInner := context.WithTimeout(outer, time.Second) // want `^the cancelInner function is not used on all paths`
	if fail {
		return errInput // want `^this return statement may be reached without using the cancelInner var defined on line 90$`
	}
	cancelInner()
	return nil
}
