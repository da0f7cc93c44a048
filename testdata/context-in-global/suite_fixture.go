// ctxlsp:testdata path=suite_test.go
// Package-level contexts in _test.go files are suite fixtures (stopped in TestMain or an
// AfterSuite) or example placeholders; they live as long as the test binary. Not reported.
package suite

import (
	"context"
	"os"
	"testing"
)

var suiteCtx, stopSuite = context.WithCancel(context.Background())

var ctx context.Context

var perTest = map[uint64]context.Context{}

func TestMain(m *testing.M) {
	ctx = suiteCtx
	code := m.Run()
	stopSuite()
	os.Exit(code)
}

var _ = perTest
