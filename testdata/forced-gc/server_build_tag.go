//go:build linux && !android

// A build constraint that is not mobile-only changes nothing.
package forcingserver

import "runtime/debug"

func trim() {
	debug.FreeOSMemory() // want `debug\.FreeOSMemory forces a full collection`
}
