// ctxlsp:testdata path=handler_test.go
// Nothing in a _test.go file is reported: anonymous structs in function bodies are test
// tables, and package-level structs are test doubles, recorders and fixtures whose contexts
// live as long as one test.
package handler

import (
	"context"
	"testing"
	"time"
)

// A test double that records the context it was called with.
type fixture struct {
	ctx context.Context
}

func TestDeadlines(t *testing.T) {
	expired, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	// The classic test table: not reported.
	cases := []struct {
		name string
		ctx  context.Context
		want bool
	}{
		{"background", context.Background(), false},
		{"expired", expired, true},
	}
	for _, tc := range cases {
		<-time.After(time.Millisecond)
		if got := tc.ctx.Err() != nil; got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestNamedLocalCase(t *testing.T) {
	// A named struct type declared inside a test function is still a local test table.
	type testCase struct {
		ctx context.Context
	}
	run := func(tc testCase) { _ = tc.ctx }
	run(testCase{ctx: context.Background()})
}

var _ = fixture{}
