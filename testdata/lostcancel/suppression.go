// Suppression comments, on the reported line or on the line above it.
// golangci-lint users write //nolint:lostcancel or //nolint:govet (vet's
// analyzers run under govet there); a bare //nolint silences everything on
// its line. Comments for other rules, or further away, do not apply.

package suppression

import (
	"context"
	"time"
)

func sameLineLinterName(p context.Context) context.Context {
	ctx, _ := context.WithCancel(p) //nolint:lostcancel // lives as long as p by design
	return ctx
}

func lineAboveGovet(p context.Context) context.Context {
	//nolint:govet // lives as long as p by design
	ctx, _ := context.WithCancel(p)
	return ctx
}

func bareNolint(p context.Context) context.Context {
	ctx, _ := context.WithTimeout(p, time.Second) //nolint
	return ctx
}

func ctxlspIgnoreAbove(p context.Context) context.Context {
	//ctxlsp:ignore lostcancel the timer bounds this context's life
	ctx, _ := context.WithTimeout(p, time.Second)
	return ctx
}

func listsOfRules(p context.Context) context.Context {
	ctx, _ := context.WithCancel(p) //nolint:errcheck,lostcancel
	//ctxlsp:ignore context-in-struct,lostcancel kept for the process lifetime
	ctx, _ = context.WithCancel(ctx)
	return ctx
}

func droppedSuppressed(p context.Context) {
	context.WithCancel(p) //nolint:govet
}

// Both diagnostics of a path leak suppressed where they are reported.
func pathLeakSuppressed(p context.Context, fail bool) {
	_, cancel := context.WithCancel(p) //nolint:lostcancel
	if fail {
		return //nolint:lostcancel
	}
	cancel()
}

// Comments that do not apply.
func notSuppressed(p context.Context) context.Context {
	//nolint:errcheck // another linter
	ctx, _ := context.WithCancel(p) // want `^the cancel function returned by context\.WithCancel should be called`
	//ctxlsp:ignore context-key-type another rule
	ctx, _ = context.WithCancel(ctx) // want `^the cancel function returned by context\.WithCancel should be called`
	//nolint:lostcancel // two lines above the report: too far

	ctx, _ = context.WithTimeout(ctx, time.Second) // want `^the cancel function returned by context\.WithTimeout should be called`
	return ctx
}

// A suppression on the defining line also silences the returns it would
// otherwise be linked to: they are one leak.
func suppressedDefinition(parent context.Context, fail bool) error {
	ctx, cancel := context.WithCancel(parent) //nolint:lostcancel // handed to the caller's registry
	if fail {
		return nil
	}
	cancel()
	return ctx.Err()
}
