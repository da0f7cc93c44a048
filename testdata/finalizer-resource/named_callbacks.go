// Callbacks that are functions or methods declared elsewhere in the package
// (see named_callbacks_helpers.go) are followed into their bodies.
package resnamed

import (
	"net"
	"runtime"
)

type link struct {
	sock net.Conn
}

type pool struct {
	conns []net.Conn
}

func newLink(sock net.Conn) *link {
	l := &link{sock: sock}
	runtime.SetFinalizer(l, dropLink) // want `the finalizer releases a resource \(calls dropLink, which calls Close\), but the GC decides`
	return l
}

func newPool() *pool {
	p := &pool{}
	runtime.SetFinalizer(p, (*pool).drain) // want `calls \(\*pool\)\.drain, which calls Shutdown\)`
	return p
}

// Not reported: the helper only records the event.
func newQuietLink(sock net.Conn) *link {
	l := &link{sock: sock}
	runtime.SetFinalizer(l, noteLink)
	return l
}

// Not reported: a function of another package; its body is not known here.
func newForeignLink(sock net.Conn) *link {
	l := &link{sock: sock}
	runtime.SetFinalizer(l, runtime.KeepAlive)
	return l
}
