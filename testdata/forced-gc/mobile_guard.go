// A GOOS guard naming a mobile system has the same effect; other systems
// are reported.
package forcingguard

import (
	"runtime"
	"runtime/debug"
)

func beforeBigAllocation() {
	if runtime.GOOS == "ios" {
		debug.FreeOSMemory()
	}
	if runtime.GOOS == "windows" {
		runtime.GC() // want `runtime\.GC forces a full collection`
	}
}
