// Renamed and dot imports are recognised.
package forcingrenamed

import (
	. "runtime"
	rdebug "runtime/debug"
)

func collect() {
	GC()                    // want `runtime\.GC forces a full collection`
	rdebug.FreeOSMemory()   // want `debug\.FreeOSMemory forces a full collection`
	rdebug.SetGCPercent(-1) // want `debug\.SetGCPercent\(-1\) disables garbage collection`
}
