// Control flow beyond vet's own suite: loops, labels, goto, switch,
// type switch and select. Each function states why it leaks or not.
// vet agrees on every line here (each leaking function has one return).

package controlflow

import (
	"context"
	"errors"
	"fmt"
)

var root = context.Background()

func next() bool { return false }

// break leaves the endless loop and reaches the end of the function.
func breakOutOfEndlessLoop() {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	for {
		if next() {
			break
		}
		if next() {
			cancel()
			return
		}
	}
} // want `^this return statement may be reached without using the cancel var defined on line 19$`

// The endless loop's only exit is a return after the call.
func onlyExitCancels() {
	_, cancel := context.WithCancel(root)
	for {
		if next() {
			cancel()
			return
		}
	}
}

// A range loop may run zero times, so a call in its body does not cover
// the path that skips it.
func callOnlyInRangeBody(jobs []int) {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	for range jobs {
		cancel()
	}
} // want `^this return statement may be reached without using the cancel var defined on line 45$`

// A conditional loop may exit normally too.
func conditionalLoop() {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	for next() {
		cancel()
	}
} // want `^this return statement may be reached without using the cancel var defined on line 53$`

// continue with a label restarts the outer endless loop; the only way out
// is the return after the call.
func labelledContinue(rows [][]int) {
	_, cancel := context.WithCancel(root)
scan:
	for {
		for _, v := range rows[0] {
			if v < 0 {
				continue scan
			}
		}
		cancel()
		return
	}
}

// break with a label leaves both loops and skips the call.
func labelledBreak(rows [][]int) {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
outer:
	for {
		for _, v := range rows[0] {
			if v < 0 {
				break outer
			}
		}
		cancel()
		return
	}
} // want `^this return statement may be reached without using the cancel var defined on line 77$`

// Inside a select, a plain break ends the select, not the loop around it.
func breakEndsSelectOnly(tick, quit <-chan struct{}) {
	_, cancel := context.WithCancel(root)
	for {
		select {
		case <-tick:
			break
		case <-quit:
			cancel()
			return
		}
	}
}

// Same loop, but break names the loop's label and leaves it.
func breakLeavesLoopThroughSelect(tick, quit <-chan struct{}) {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
loop:
	for {
		select {
		case <-tick:
			break loop
		case <-quit:
			cancel()
			return
		}
	}
} // want `^this return statement may be reached without using the cancel var defined on line 106$`

// goto backwards forms a loop whose exit passes the call.
func gotoRetry() {
	_, cancel := context.WithCancel(root)
retry:
	if !next() {
		goto retry
	}
	cancel()
}

// goto forwards jumps over the call to a return.
func gotoSkipsCancel() error {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	if next() {
		goto fail
	}
	cancel()
	return nil
fail:
	return errors.New("failed") // want `^this return statement may be reached without using the cancel var defined on line 131$`
}

// fallthrough carries the first case into a case that cancels; the
// default cancels too.
func fallthroughIntoCancel(mode int) {
	_, cancel := context.WithCancel(root)
	switch mode {
	case 0:
		fmt.Println("zero")
		fallthrough
	case 1:
		cancel()
	default:
		cancel()
	}
}

// A switch without default may match no case.
func switchWithoutDefault(mode int) {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	switch mode {
	case 0:
		cancel()
	case 1:
		cancel()
	}
} // want `^this return statement may be reached without using the cancel var defined on line 158$`

// Type switch: the string case returns before the call.
func typeSwitch(v any) error {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	switch x := v.(type) {
	case int:
		cancel()
	case string:
		return errors.New(x) // want `^this return statement may be reached without using the cancel var defined on line 169$`
	default:
		cancel()
	}
	return nil
}

// A select with default never blocks: the default case is a path.
func selectWithDefault(ch <-chan int) {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	select {
	case <-ch:
		cancel()
	default:
	}
} // want `^this return statement may be reached without using the cancel var defined on line 183$`

// Without default, one of the cases runs, and both cancel.
func selectWithoutDefault(a <-chan int, b chan<- int) {
	_, cancel := context.WithCancel(root)
	select {
	case <-a:
		cancel()
	case b <- 1:
		cancel()
	}
}

// select {} blocks forever: the path after it never returns.
func emptySelectBlocks(stopEarly bool) {
	_, cancel := context.WithCancel(root)
	if stopEarly {
		cancel()
		return
	}
	select {}
}

// for {} without break, return or goto out never finishes either.
func endlessLoopWithoutExit(stopEarly bool) {
	_, cancel := context.WithCancel(root)
	if stopEarly {
		cancel()
		return
	}
	for {
		next()
	}
}
