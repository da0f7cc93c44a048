// ctxlsp:testdata go.mod=1.22

// Edge cases of "does the closure capture the object's variable".
package selfrefedges

import (
	"fmt"
	"runtime"
)

type node struct {
	name string
}

type label struct {
	owner int
}

// A map literal key is a use of the variable.
func mapKeyIsAUse() *node {
	n := &node{}
	runtime.SetFinalizer(n, func(*node) { // want `the finalizer closes over n`
		fmt.Println(map[*node]bool{n: true})
	})
	return n
}

// Not reported: in a struct literal, `owner:` names a field, not the variable.
func structKeyIsAFieldName() *node {
	owner := &node{}
	runtime.SetFinalizer(owner, func(gone *node) {
		fmt.Println(label{owner: len(gone.name)})
	})
	return owner
}

// Not reported: the variable is cleared after registering, so the captured
// variable no longer holds the object when it matters.
func clearedAfterwards() {
	n := &node{}
	runtime.SetFinalizer(n, func(*node) { fmt.Println(n == nil) })
	n = nil
}

// Not reported: inside the loop, a later assignment comes round again before
// the call, so which closure reaches it is not certain.
func reassignedLaterInLoop(items []*node) {
	fin := func(gone *node) {}
	for _, item := range items {
		runtime.SetFinalizer(item, fin)
		fin = func(*node) { fmt.Println(item.name) }
	}
}

// Reported: the object is a loop variable captured by the finalizer; since
// Go 1.22 every iteration has its own variable, so every object stays alive.
func loopVariableCaptured(items []*node) {
	for _, item := range items {
		runtime.SetFinalizer(item, func(*node) { fmt.Println(item.name) }) // want `the finalizer closes over item`
	}
}
