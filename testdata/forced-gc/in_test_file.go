// ctxlsp:testdata path=in_test_file_test.go

// Tests may force collections (e.g. to check that something is freed): a
// _test.go file is not reported.
package forcingtests

import (
	"runtime"
	"runtime/debug"
)

func collectInTest() {
	runtime.GC()
	debug.FreeOSMemory()
	debug.SetGCPercent(-1)
}
