// From Go 1.24 a test's t.Context() is at hand (reported as a hint).
// ctxlsp:testdata go.mod=1.24

package tests

import (
	"context"
	"testing"
)

func run(ctx context.Context) {}

func TestRun(t *testing.T) {
	run(context.Background()) // want `while the test's context t\.Context\(\) is at hand`
}

func BenchmarkRun(b *testing.B) {
	run(context.TODO()) // want `b\.Context\(\)`
}

func check(tb testing.TB, ctx context.Context) {
	run(context.TODO()) // want `the context parameter ctx`
}
