// main.main is exempt from the path check because returning from it ends
// the process (vet does the same). A blank or dropped cancel function is
// still reported there: vet reports the blank in main too, and a dropped
// result is the same mistake. Literals inside main and methods called
// main are ordinary functions.

package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"time"
)

type job struct{}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	if len(os.Args) < 2 {
		fmt.Println("usage: tool NAME")
		return
	}
	tctx, _ := context.WithTimeout(ctx, time.Minute) // want `^the cancel function returned by context\.WithTimeout should be called, not discarded, to avoid a context leak$`
	context.WithCancel(tctx)                         // want `^the cancel function returned by context\.WithCancel is never assigned, so it can never be called \(context leak\)$`

	go func() {
		_, cancel := context.WithCancel(ctx) // want `^the cancel function is not used on all paths`
		if len(os.Args) > 2 {
			cancel()
		}
	}() // want `^this return statement may be reached without using the cancel var defined on line 29$`

	<-tctx.Done()
	stop()
}

// A method named main is not the program's entry point.
func (job) main() {
	_, cancel := context.WithCancel(context.Background()) // want `^the cancel function is not used on all paths`
	if len(os.Args) > 3 {
		cancel()
	}
} // want `^this return statement may be reached without using the cancel var defined on line 41$`
