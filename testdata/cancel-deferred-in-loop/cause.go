//go:build go1.20

// WithCancelCause appeared in Go 1.20; the build constraint keeps older toolchains' vet quiet.
package deferloop

import (
	"context"
	"errors"
)

// Cause-carrying cancel functions take an argument.
func withCause(parent context.Context, names []string) {
	for _, name := range names {
		ctx, cancel := context.WithCancelCause(parent)
		defer cancel(errors.New("probe finished")) // want `cancel is deferred inside a loop`
		_ = call(ctx, name)
	}
}
