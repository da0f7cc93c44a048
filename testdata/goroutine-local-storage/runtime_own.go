// ctxlsp:testdata path=stack_test.go
// The runtime's own tests check the trace format, header included. Not reported.
package runtime_test

import (
	"runtime"
	"strings"
	"testing"
)

func TestStackHeader(t *testing.T) {
	b := make([]byte, 1024)
	stk := string(b[:runtime.Stack(b, false)])
	if !strings.HasPrefix(stk, "goroutine ") {
		t.Errorf("Stack output should begin with %q", "goroutine ")
	}
}
