// Quick fix for a discarded cancel function: name it and defer the call on
// the next line. The name is cancel, or cancel2, cancel3... when the
// function already uses the shorter names.

package fixdiscarded

import (
	"context"
	"time"
)

func simple(p context.Context) error {
	ctx, _ := context.WithCancel(p) // want `should be called, not discarded`
	return ctx.Err()
}

func nameTaken(p context.Context) error {
	base, cancel := context.WithCancel(p)
	defer cancel()
	ctx, _ := context.WithTimeout(base, time.Second) // want `should be called, not discarded`
	return ctx.Err()
}

func twoNamesTaken(p context.Context, cancel, cancel2 func()) error {
	defer cancel()
	defer cancel2()
	ctx, _ := context.WithCancel(p) // want `should be called, not discarded`
	return ctx.Err()
}

func varForm(p context.Context) error {
	var ctx, _ = context.WithDeadline(p, time.Unix(0, 0)) // want `should be called, not discarded`
	return ctx.Err()
}

// Plain assignment to a variable declared in the same block: the fix
// turns = into := (ctx is reused, cancel is new).
func assignSameBlock(p context.Context) error {
	var ctx context.Context
	ctx, _ = context.WithCancel(p) // want `should be called, not discarded`
	return ctx.Err()
}

// Plain assignment to a parameter: := would declare a new ctx that
// shadows it, so there is no fix.
func assignParameter(ctx context.Context) error {
	ctx, _ = context.WithCancel(ctx) // want `should be called, not discarded`
	return ctx.Err()
}

// Plain assignment to a variable of an enclosing block: no fix either.
func assignOuterBlock(p context.Context, retry bool) error {
	ctx := p
	if retry {
		ctx, _ = context.WithTimeout(ctx, time.Second) // want `should be called, not discarded`
	}
	return ctx.Err()
}

// Not directly in a block (an if initializer): there is no line to put
// the defer on, so there is no fix.
func ifInitializer(p context.Context) bool {
	if ctx, _ := context.WithCancel(p); ctx.Err() == nil { // want `should be called, not discarded`
		return true
	}
	return false
}
