//go:build go1.24

// APIs newer than the local toolchain: WithoutCancel (Go 1.21), WithTimeoutCause (Go 1.21)
// and testing.T.Context (Go 1.24). The build constraint keeps older toolchains' vet quiet.
package loopctx

import (
	"context"
	"errors"
	"testing"
	"time"
)

func detachEach(ctx context.Context, items []string) {
	for _, item := range items {
		ctx = context.WithoutCancel(ctx) // want `\(context\.WithoutCancel\)`
		_ = handle(ctx, item)
	}
}

func timeoutCause(ctx context.Context, items []string) {
	for _, item := range items {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, time.Second, errors.New("slow")) // want `\(context\.WithTimeoutCause\)`
		_ = handle(ctx, item)
		cancel()
	}
}

// t.Context() is a fresh chain per iteration.
func TestResetToTestContext(t *testing.T) {
	var ctx context.Context
	for _, item := range []string{"a", "b"} {
		ctx = t.Context()
		ctx = context.WithValue(ctx, key{"item"}, item)
		_ = handle(ctx, item)
	}
}

func BenchmarkResetToBenchContext(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		ctx = b.Context()
		ctx = context.WithValue(ctx, key{"iteration"}, i)
		_ = handle(ctx, "bench")
	}
}

func resetFromTB(tb testing.TB, items []string) {
	ctx := context.Background()
	for _, item := range items {
		ctx = tb.Context()
		ctx = context.WithValue(ctx, key{"item"}, item)
		_ = handle(ctx, item)
	}
}
