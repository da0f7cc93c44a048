// Goroutines that can finish, that use the context, or that have no context to use.
package goctx

import (
	"context"
	"log"
	"os"
	"runtime"
	"time"
)

// The recommended shape: the loop watches ctx and returns.
func watchesContext(ctx context.Context, values <-chan int) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case v := <-values:
				process(v)
			}
		}
	}()
}

// Any reference to the context counts: the author has wired it in somehow.
func mentionsContext(ctx context.Context) {
	go func() {
		for {
			report(ctx)
		}
	}()
}

// A return on some path.
func returnsWhenClosed(ctx context.Context, values <-chan int) {
	go func() {
		for {
			v, ok := <-values
			if !ok {
				return
			}
			process(v)
		}
	}()
	report(ctx)
}

// An unlabelled break directly in the loop.
func breaksOut(ctx context.Context, values <-chan int) {
	go func() {
		for {
			v := <-values
			if v < 0 {
				break
			}
			process(v)
		}
		work()
	}()
	report(ctx)
}

// A labelled break out of the loop from inside a select.
func labelledBreak(ctx context.Context, values <-chan int, quit <-chan struct{}) {
	go func() {
	loop:
		for {
			select {
			case v := <-values:
				process(v)
			case <-quit:
				break loop
			}
		}
	}()
	report(ctx)
}

// A goto out of the loop.
func gotoOut(ctx context.Context, values <-chan int) {
	go func() {
		for {
			if <-values < 0 {
				goto done
			}
		}
	done:
		work()
	}()
	report(ctx)
}

// Loops with a condition or a range can end.
func conditionalLoops(ctx context.Context, values <-chan int, running func() bool) {
	go func() {
		for running() {
			work()
		}
	}()
	go func() {
		for v := range values {
			process(v)
		}
	}()
	report(ctx)
}

// Ending the goroutine (or the program) is a way out too.
func endsOtherwise(ctx context.Context, values <-chan int) {
	go func() {
		for {
			if v := <-values; v < 0 {
				panic("negative value")
			}
		}
	}()
	go func() {
		for {
			if <-values == 0 {
				runtime.Goexit()
			}
		}
	}()
	go func() {
		for {
			if <-values == 0 {
				os.Exit(0)
			}
		}
	}()
	go func() {
		for {
			if <-values == 0 {
				log.Fatal("zero")
			}
		}
	}()
	report(ctx)
}

// No context in scope: nothing to honour.
func noContext(values <-chan int) {
	go func() {
		for {
			process(<-values)
		}
	}()
}

// A local named ctx that is not a context.
func notAContext(values <-chan int) {
	ctx := time.Second
	go func() {
		for {
			process(<-values)
		}
	}()
	_ = ctx
}

// The context parameter is shadowed by a local that is not a context: the literal could
// not name it.
func shadowedContext(ctx context.Context, values <-chan int) {
	report(ctx)
	{
		ctx := len(values)
		go func() {
			for {
				process(<-values)
			}
		}()
		_ = ctx
	}
}

// The context is declared after the go statement, so the literal could not use it.
func contextDeclaredLater(values <-chan int) {
	go func() {
		select {}
	}()
	ctx := context.Background()
	report(ctx)
}

// A named function: its body is not inspected by this rule.
func namedFunction(ctx context.Context) {
	go spin()
	report(ctx)
}

func spin() {
	for {
		work()
	}
}

// Blocking forever on something other than an endless loop or an empty select is out of scope.
func blockedOnChannel(ctx context.Context) {
	go func() {
		<-make(chan struct{})
	}()
	report(ctx)
}

// A function literal that is called, not started as a goroutine.
func notAGoroutine(ctx context.Context, values <-chan int) {
	loop := func() {
		for {
			process(<-values)
		}
	}
	go loop()
	report(ctx)
}
