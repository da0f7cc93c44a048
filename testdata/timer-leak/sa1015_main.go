// ctxlsp:testdata go.mod=1.22
package main

import "time"

// package main is exempt for Tick and NewTicker, as in SA1015.
func once() {
	for range time.Tick(time.Second) {
		break
	}
}

func main() {
	_ = time.Tick(time.Second)
	once()
}
