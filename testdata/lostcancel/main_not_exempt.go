// A function called main outside package main is an ordinary function:
// returning from it does not end the process (vet agrees).

package tools

import "context"

func main() {
	_, cancel := context.WithCancel(context.Background()) // want `^the cancel function is not used on all paths`
	if ready() {
		cancel()
	}
} // want `^this return statement may be reached without using the cancel var defined on line 9$`

func ready() bool { return false }
