// Quick fix: wrap the loop body in a function literal, only when that keeps every jump
// and return meaning the same thing.
package deferloop

import (
	"context"
	"fmt"
	"time"
)

func wrapSimple(parent context.Context, names []string) {
	for _, name := range names { // one request per name
		ctx, cancel := context.WithTimeout(parent, time.Second)
		defer cancel() // want `cancel is deferred inside a loop`

		_ = call(ctx, name)
	}
}

// break and continue that belong to statements nested in the body are unaffected.
func wrapNestedJumps(parent context.Context, batches [][]string) {
	for _, batch := range batches {
		ctx, cancel := context.WithCancel(parent)
		defer cancel() // want `cancel is deferred inside a loop`
		for _, name := range batch {
			if name == "" {
				continue
			}
			switch call(ctx, name) {
			case nil:
				break
			default:
				fmt.Println("failed:", name)
			}
		}
	}
}

// A return inside a nested function literal belongs to that literal.
func wrapNestedReturn(parent context.Context, names []string) {
	for _, name := range names {
		ctx, cancel := context.WithCancel(parent)
		defer cancel() // want `cancel is deferred inside a loop`
		check := func() bool {
			return call(ctx, name) == nil
		}
		_ = check()
	}
}

// Lines inside a multi-line raw string keep their exact content.
func wrapRawString(parent context.Context, names []string) {
	for _, name := range names {
		ctx, cancel := context.WithCancel(parent)
		defer cancel() // want `cancel is deferred inside a loop`
		query := `
select *
	from jobs
where name = ?`
		_ = call(ctx, query+name)
	}
}

// A label declared inside the body moves into the literal together with its uses.
func wrapInnerLabel(parent context.Context, batches [][]string) {
	for _, batch := range batches {
		ctx, cancel := context.WithCancel(parent)
		defer cancel() // want `cancel is deferred inside a loop`
	scan:
		for _, name := range batch {
			if call(ctx, name) != nil {
				break scan
			}
		}
	}
}

// No fix: a continue of the loop itself would not compile inside a function literal.
func noFixContinue(parent context.Context, names []string) {
	for _, name := range names {
		if name == "" {
			continue
		}
		ctx, cancel := context.WithCancel(parent)
		defer cancel() // want `cancel is deferred inside a loop`
		_ = call(ctx, name)
	}
}

// No fix: a break of the loop itself.
func noFixBreak(parent context.Context, names []string) {
	for _, name := range names {
		ctx, cancel := context.WithCancel(parent)
		defer cancel() // want `cancel is deferred inside a loop`
		if call(ctx, name) != nil {
			break
		}
	}
}

// No fix: a return would then leave only the literal, not the function.
func noFixReturn(parent context.Context, names []string) error {
	for _, name := range names {
		ctx, cancel := context.WithCancel(parent)
		defer cancel() // want `cancel is deferred inside a loop`
		if err := call(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

// No fix: a labelled continue that targets an enclosing loop.
func noFixLabelledContinue(parent context.Context, groups [][]string) {
outer:
	for _, group := range groups {
		for _, name := range group {
			ctx, cancel := context.WithCancel(parent)
			defer cancel() // want `cancel is deferred inside a loop`
			if call(ctx, name) != nil {
				continue outer
			}
		}
	}
}

// No fix: a goto to a label outside the body.
func noFixGoto(parent context.Context, names []string) {
	for _, name := range names {
		ctx, cancel := context.WithCancel(parent)
		defer cancel() // want `cancel is deferred inside a loop`
		if call(ctx, name) != nil {
			goto done
		}
	}
done:
	fmt.Println("done")
}
