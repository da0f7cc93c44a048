// The shapes staticcheck's SA5005 reports (and the ones it accepts), restated:
// a finalizer closure that captures the very variable being finalized keeps
// the object reachable forever, so the finalizer can never run.
package selfrefbasic

import (
	"fmt"
	"runtime"
)

type session struct{ id int }

// The closure is built first and registered afterwards through a variable.
func closureHeldInVariable() *session {
	s := &session{id: 1}
	announce := func(_ *session) { fmt.Println("session gone:", s.id) }
	runtime.SetFinalizer(s, announce) // want `the finalizer closes over s, so s stays reachable and is never collected: the finalizer never runs; use the finalizer's parameter instead of s`
	return s
}

// Passing nil removes a finalizer; nothing can be captured.
func removeFinalizer(s *session) {
	runtime.SetFinalizer(s, nil)
}

// The same mistake written inline.
func closureInline() *session {
	s := &session{id: 2}
	runtime.SetFinalizer(s, func(*session) { // want `the finalizer closes over s`
		fmt.Println("session gone:", s.id)
	})
	return s
}

// The variable first held a capturing closure, but by the time of the call it
// holds one that only uses its parameter: nothing keeps s alive.
func variableReassignedBeforeCall() *session {
	s := &session{id: 3}
	announce := func(*session) { fmt.Println("session", s.id) }
	announce(s)
	announce = func(gone *session) { fmt.Println("session gone:", gone.id) }
	runtime.SetFinalizer(s, announce)
	return s
}

// The correct shape: the finalizer works on its parameter.
func usesItsParameter() *session {
	s := &session{id: 4}
	runtime.SetFinalizer(s, func(gone *session) {
		fmt.Println("session gone:", gone.id)
	})
	return s
}
