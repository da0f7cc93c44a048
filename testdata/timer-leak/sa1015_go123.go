// ctxlsp:testdata go.mod=1.23
package timers

import "time"

// From Go 1.23 semantics an unreferenced ticker is collected: nothing to report (as SA1015).
func breaks123() {
	for range time.Tick(time.Second) {
		println("tick")
		if true {
			break
		}
	}
}

func ticker123() int {
	t := time.NewTicker(time.Second)
	<-t.C
	return 1
}
