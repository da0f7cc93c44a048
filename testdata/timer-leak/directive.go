//go:debug asynctimerchan=1

// ctxlsp:testdata go.mod=1.25
package timers

import "time"

// A //go:debug directive in the file restores the old timers too.
func leaksByDirective() {
	t := time.NewTicker(time.Second) // want `t \(a time.NewTicker\) is never stopped, and before Go 1.23 \(go 1.25 with asynctimerchan=1\)`
	<-t.C
}
