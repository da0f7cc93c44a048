// Functions outside the context package that add one context.WithValue layer per call.
// (The gRPC import is not available offline, so this file is not type-checked by vet.)
package loopctx

import (
	"context"
	"net/http/httptrace"
	"runtime/pprof"

	"google.golang.org/grpc/metadata"
)

func labelEach(ctx context.Context, names []string) {
	for _, name := range names {
		ctx = pprof.WithLabels(ctx, pprof.Labels("name", name)) // want `\(pprof\.WithLabels\)`
		pprof.SetGoroutineLabels(ctx)
	}
}

func traceEach(ctx context.Context, traces []*httptrace.ClientTrace) {
	for _, trace := range traces {
		ctx = httptrace.WithClientTrace(ctx, trace) // want `\(httptrace\.WithClientTrace\)`
		_ = handle(ctx, "traced")
	}
}

func callEach(ctx context.Context, ids []string) {
	for _, id := range ids {
		ctx = metadata.AppendToOutgoingContext(ctx, "request-id", id) // want `\(metadata\.AppendToOutgoingContext\)`
		_ = handle(ctx, id)
	}
}

// A package-level variable lives across iterations like any other.
var sharedCtx = context.Background()

func tagShared(items []string) {
	for _, item := range items {
		sharedCtx = context.WithValue(sharedCtx, key{"item"}, item) // want `sharedCtx is re-derived from itself`
		_ = handle(sharedCtx, item)
	}
}
