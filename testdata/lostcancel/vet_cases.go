// Expectations mirroring go vet's own lostcancel test suite
// (golang.org/x/tools/go/analysis/passes/lostcancel, package a),
// rewritten case by case. Every report vet makes on this file has a
// matching want comment; vet reports only the first leaking return of a
// cancel variable, and no case below has more than one, so the two
// tools agree line for line here.

package vetcases

import (
	"context"
	"log"
	"os"
	"testing"
	"time"
)

var root = context.Background()

var maybe bool
var choice int

// The three declaration forms vet recognises: var, := and plain =.
// The return diagnostics pin the line of the defining statement.

func varFormLeaks() {
	var _, stop = context.WithCancel(root) // want `^the stop function is not used on all paths \(possible context leak\)$`
	if maybe {
		_ = stop
	}
} // want `^this return statement may be reached without using the stop var defined on line 27$`

func shortFormLeaks() {
	_, release := context.WithDeadline(root, time.Time{}) // want `^the release function is not used on all paths \(possible context leak\)$`
	if maybe {
		_ = release
	}
} // want `^this return statement may be reached without using the release var defined on line 34$`

func plainAssignLeaks() {
	var done func()
	_, done = context.WithTimeout(root, 0) // want `^the done function is not used on all paths \(possible context leak\)$`
	if maybe {
		_ = done
	}
} // want `^this return statement may be reached without using the done var defined on line 42$`

// A blank cancel is reported at the blank, for each constructor and for
// both := and =.
func blanks() {
	c, _ := context.WithCancel(root)               // want `^the cancel function returned by context\.WithCancel should be called, not discarded, to avoid a context leak$`
	c, _ = context.WithDeadline(root, time.Time{}) // want `^the cancel function returned by context\.WithDeadline should be called, not discarded, to avoid a context leak$`
	c, _ = context.WithTimeout(root, time.Minute)  // want `^the cancel function returned by context\.WithTimeout should be called, not discarded, to avoid a context leak$`
	_ = c
}

// Deferring the call covers every path.
func deferred() {
	_, cancel := context.WithCancel(root)
	defer cancel()
}

// Called on one branch only, then an explicit return.
func explicitReturnSkipsCancel() {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	if maybe {
		cancel()
	}
	return // want `^this return statement may be reached without using the cancel var defined on line 65$`
}

// A bounded loop on the other branch still reaches the end of the function.
func boundedLoopFallsOff() {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	if maybe {
		cancel()
	} else {
		for i := 0; i < 3; i++ {
			println(i)
		}
	}
} // want `^this return statement may be reached without using the cancel var defined on line 74$`

// The other branch spins forever, so it never returns: no leak.
func endlessLoopNeverReturns() {
	_, cancel := context.WithCancel(root)
	if maybe {
		cancel()
	} else {
		for {
			println("spinning")
		}
	}
}

// Every case either cancels or ends the program or goroutine: no leak.
// The fallthrough carries case 3 into the exiting default.
// Note: vet knows (*testing.T).FailNow never returns from its type; here
// the receiver is new(testing.T), not a parameter.
func everyCaseEndsOrCancels() {
	_, cancel := context.WithCancel(root)
	switch choice {
	case 0:
		log.Fatal("zero")
	case 1:
		new(testing.T).FailNow()
	case 2:
		cancel()
	case 3:
		println("three")
		fallthrough
	default:
		os.Exit(2)
	}
}

// Same switch without the fallthrough: case 3 reaches the end.
func oneCaseFallsOffTheEnd() {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	switch choice {
	case 0:
		log.Fatal("zero")
	case 1:
		new(testing.T).FailNow()
	case 2:
		cancel()
	case 3:
		println("three") // no fallthrough: continues after the switch
	default:
		os.Exit(2)
	}
} // want `^this return statement may be reached without using the cancel var defined on line 119$`

// A select whose second case neither cancels nor stops.
func selectCaseFallsOffTheEnd(ch chan int) {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	select {
	case ch <- 1:
		cancel()
	case <-ch:
		new(testing.T).FailNow()
	case ch <- 2:
		println("sent") // reaches the end of the function
	default:
		os.Exit(2)
	}
} // want `^this return statement may be reached without using the cancel var defined on line 136$`

// A select without default runs one of its cases; the only case panics,
// so nothing after the select is reachable and no return can be reached.
func selectOnlyCasePanics(ch chan int) {
	_, cancel := context.WithCancel(root)
	select {
	case v := <-ch:
		panic(v)
	}
	if maybe {
		_ = cancel
	}
}

// A function literal is checked on its own: the implicit return of the
// literal is its closing brace, on the line of the call parentheses.
func literalLeaks() {
	go func() {
		ctx, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
		if maybe {
			_ = cancel
		}
		println(ctx)
	}() // want `^this return statement may be reached without using the cancel var defined on line 166$`
}

// Calling a func-typed struct field must not confuse the checker
// (vet regression, Go issue 16143).
func callFieldFunc() {
	var holder struct{ run func() }
	holder.run()
}

// Named results: a bare return hands the cancel function to the caller
// (vet regression, Go issue 16230), for declared functions and literals.
func namedResultsBareReturn() (ctx context.Context, cancel func()) {
	ctx, cancel = context.WithCancel(root)
	return
}

var literalNamedResults = func() (ctx context.Context, cancel func()) {
	ctx, cancel = context.WithCancel(root)
	return
}

// The variable belongs to the enclosing function; the literal only
// assigns it, and the enclosing function calls it (Go issue 31856).
func assignedInsideLiteral() {
	var cancel func()
	func() {
		_, cancel = context.WithCancel(root)
	}()
	cancel()
}
