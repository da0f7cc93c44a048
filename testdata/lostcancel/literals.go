// Function literals are analysed as functions of their own (as vet does):
// their returns are not returns of the enclosing function, and a leak in
// a literal is reported at the literal's own returns.

package literals

import (
	"context"
	"errors"
)

var maybe bool

// A literal's return statement does not leave the enclosing function.
func literalReturnIsNotOurs(parent context.Context, visit func(func() error) error) error {
	ctx, cancel := context.WithCancel(parent)
	err := visit(func() error {
		if ctx.Err() != nil {
			return errors.New("stopped")
		}
		return nil
	})
	cancel()
	return err
}

// The leak lives inside a literal stored in a variable; the enclosing
// function is clean.
func leakInStoredLiteral() func(context.Context) error {
	probe := func(parent context.Context) error {
		ctx, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
		if maybe {
			return ctx.Err() // want `^this return statement may be reached without using the cancel var defined on line 31$`
		}
		cancel()
		return nil
	}
	return probe
}

// Nested literals: only the innermost one owns the leaking variable, and
// its implicit return is the closing brace of that literal.
func nestedLiterals(parent context.Context, run func(func())) {
	run(func() {
		run(func() {
			_, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
			if maybe {
				cancel()
			}
		}) // want `^this return statement may be reached without using the cancel var defined on line 46$`
	})
}

// A deferred literal that calls cancel is a use on every path.
func deferredLiteral(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer func() {
		cancel()
	}()
	return ctx.Err()
}

// A literal that defers its own cancel is clean, and the enclosing
// function has no cancel variable at all.
var handler = func(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	return ctx.Err()
}
