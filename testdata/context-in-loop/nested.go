// Derivations in blocks nested inside the loop body run on some iterations, and every time
// they run the chain gets one layer longer.
package loopctx

import (
	"context"
	"errors"
)

var errSkip = errors.New("skip")

func inIf(ctx context.Context, items []string) {
	for _, item := range items {
		if item != "" {
			ctx = context.WithValue(ctx, key{"item"}, item) // want `ctx is re-derived from itself`
		}
		_ = handle(ctx, item)
	}
}

// The else branch (an existing linter only looks at the if branch).
func inElse(ctx context.Context, items []string) {
	for _, item := range items {
		if item == "" {
			_ = handle(ctx, "empty")
		} else {
			ctx = context.WithValue(ctx, key{"item"}, item) // want `ctx is re-derived from itself`
			_ = handle(ctx, item)
		}
	}
}

func inElseIf(ctx context.Context, items []string) {
	for _, item := range items {
		if item == "" {
			continue
		} else if len(item) > 3 {
			ctx = context.WithValue(ctx, key{"long"}, item) // want `ctx is re-derived from itself`
		}
		_ = handle(ctx, item)
	}
}

func inNestedIf(ctx context.Context, items []string, verbose bool) {
	for _, item := range items {
		if item != "" {
			if verbose {
				ctx = context.WithValue(ctx, key{"verbose"}, item) // want `ctx is re-derived from itself`
			}
		}
		_ = handle(ctx, item)
	}
}

func inSwitch(ctx context.Context, items []string) {
	for _, item := range items {
		switch item {
		case "a":
			ctx = context.WithValue(ctx, key{"a"}, item) // want `ctx is re-derived from itself`
		default:
			_ = handle(ctx, item)
		}
	}
	for _, item := range items {
		switch item {
		case "a":
			_ = handle(ctx, item)
		default:
			ctx = context.WithValue(ctx, key{"other"}, item) // want `ctx is re-derived from itself`
		}
	}
}

func inTypeSwitch(ctx context.Context, values []interface{}) {
	for _, v := range values {
		switch v := v.(type) {
		case string:
			ctx = context.WithValue(ctx, key{"text"}, v) // want `ctx is re-derived from itself`
		case error:
			_ = handle(ctx, v.Error())
		}
	}
}

func inSelect(ctx context.Context, names <-chan string, stop <-chan struct{}) {
	for {
		select {
		case name := <-names:
			ctx = context.WithValue(ctx, key{"name"}, name) // want `ctx is re-derived from itself`
			_ = handle(ctx, name)
		case <-stop:
			return
		}
	}
}

func inBareBlock(ctx context.Context, items []string) {
	for _, item := range items {
		{
			ctx = context.WithValue(ctx, key{"item"}, item) // want `ctx is re-derived from itself`
		}
		_ = handle(ctx, item)
	}
}

// A variable declared in the outer loop body is fresh per outer iteration, but the inner
// loop still grows it.
func innerLoop(groups [][]string) {
	for _, group := range groups {
		ctx := context.Background()
		for _, item := range group {
			ctx = context.WithValue(ctx, key{"item"}, item) // want `ctx is re-derived from itself`
			_ = handle(ctx, item)
		}
	}
}

// Not reported: the inner loop builds one context per group for use after it, and the outer
// loop starts every group afresh. Building a context on purpose is not a leak.
func buildPerGroup(groups [][]string) {
	for _, group := range groups {
		ctx := context.Background()
		for _, item := range group {
			ctx = context.WithValue(ctx, key{"item"}, item)
		}
		_ = handle(ctx, "group")
	}
}

// The inner loop runs once per outer iteration, so the outer loop is what repeats it.
func outerLoopRepeats(ctx context.Context, groups [][]string) {
	for _, group := range groups {
		for _, item := range group {
			ctx = context.WithValue(ctx, key{"first"}, item) // want `ctx is re-derived from itself`
			break
		}
		_ = handle(ctx, "group")
	}
}

// Shadowing in nested blocks: each block derives a fresh variable first.
func shadowedInBlocks(ctx context.Context, items []string, events <-chan string) {
	for _, item := range items {
		if item != "" {
			ctx := context.WithValue(ctx, key{"if"}, item)
			ctx = context.WithValue(ctx, key{"again"}, item)
			_ = handle(ctx, item)
		} else {
			ctx := context.WithValue(ctx, key{"else"}, item)
			ctx = context.WithValue(ctx, key{"again"}, item)
			_ = handle(ctx, item)
		}
		switch item {
		case "a":
			ctx := context.WithValue(ctx, key{"case"}, item)
			ctx = context.WithValue(ctx, key{"again"}, item)
			_ = handle(ctx, item)
		}
		select {
		case ev := <-events:
			ctx := context.WithValue(ctx, key{"event"}, ev)
			ctx = context.WithValue(ctx, key{"again"}, ev)
			_ = handle(ctx, ev)
		default:
		}
		{
			ctx := context.WithValue(ctx, key{"block"}, item)
			ctx = context.WithValue(ctx, key{"again"}, item)
			_ = handle(ctx, item)
		}
	}
}

// A variable declared in an if header inside the loop is fresh per iteration.
func declaredInIfHeader(items []string) {
	for _, item := range items {
		if ctx := context.Background(); item != "" {
			ctx = context.WithValue(ctx, key{"item"}, item)
			_ = handle(ctx, item)
		}
	}
}

// A variable declared in the loop body before the derivation is fresh per iteration.
func declaredInBody(parent context.Context, items []string) error {
	for _, item := range items {
		ctx := parent
		if item == "" {
			return errSkip
		}
		ctx = context.WithValue(ctx, key{"item"}, item)
		_ = handle(ctx, item)
	}
	return nil
}
