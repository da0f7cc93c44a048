//go:build ios || android

// Built only for mobile systems, which kill processes under memory
// pressure: returning memory promptly is deliberate, nothing is reported.
package forcingmobile

import (
	"runtime"
	"runtime/debug"
)

func onLowMemoryWarning() {
	runtime.GC()
	debug.FreeOSMemory()
}
