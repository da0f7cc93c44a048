// ctxlsp:testdata go.mod=1.24
package asyncgodebug

import "time"

// go 1.24, but `godebug asynctimerchan=1` in go.mod restores the old timers.
func leaks() {
	for range time.Tick(time.Second) { // want `before Go 1.23 \(go 1.24 with asynctimerchan=1\)`
		break
	}
}
