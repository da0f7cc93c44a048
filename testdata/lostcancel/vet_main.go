// Expectations mirroring go vet's package-main lostcancel case, rewritten:
// returning from main.main ends the process, so main is exempt from the
// path check; any other function of package main is not.

package main

import "context"

var maybe bool

func main() {
	_, cancel := context.WithCancel(context.Background())
	if maybe {
		cancel()
	}
}

func helper() {
	_, cancel := context.WithCancel(context.Background()) // want `^the cancel function is not used on all paths`
	if maybe {
		cancel()
	}
} // want `^this return statement may be reached without using the cancel var defined on line 19$`
