// Goroutines started by main live as long as the program anyway; main and init of package
// main are not reported. (Package main lives in its own directory.)
package main

import (
	"context"
	"os"
	"os/signal"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		for {
			time.Sleep(time.Minute)
		}
	}()
	<-ctx.Done()
}

// Other functions of package main are reported as usual.
func startReporter(ctx context.Context) {
	go func() { // want `this goroutine can never return`
		for {
			time.Sleep(time.Minute)
		}
	}()
	<-ctx.Done()
}
