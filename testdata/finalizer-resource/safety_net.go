// When the type also offers an explicit release method (exported, or
// unexported inside the package), the finalizer is a safety net (as
// os.File's is) and the finding drops to information.
package ressafety

import (
	"net"
	"runtime"
)

// Conn has an exported Close: callers are expected to use it.
type Conn struct {
	sock net.Conn
}

func (c *Conn) Close() error {
	runtime.SetFinalizer(c, nil)
	return c.sock.Close()
}

func Dial(sock net.Conn) *Conn {
	c := &Conn{sock: sock}
	runtime.SetFinalizer(c, func(c *Conn) { c.sock.Close() }) // want `the finalizer releases a resource \(calls c\.sock\.Close\) as a safety net for Conn\.Close, but it may run late or never and does not run at program exit: callers must still call Close \(with defer\); consider making the finalizer only log the leak`
	return c
}

// A method expression naming the release method itself.
func DialDirect(sock net.Conn) *Conn {
	c := &Conn{sock: sock}
	runtime.SetFinalizer(c, (*Conn).Close) // want `calls \(\*Conn\)\.Close\) as a safety net for Conn\.Close`
	return c
}

// The os.File layout: the finalizer sits on an inner object that the public
// type embeds, and the public type has the release method.
type Handle struct {
	*handle
}

type handle struct {
	sock net.Conn
}

func (h *handle) close() error { return h.sock.Close() }

func (h *Handle) Release() error { return h.close() }

func NewHandle(sock net.Conn) *Handle {
	h := &Handle{&handle{sock: sock}}
	runtime.SetFinalizer(h.handle, (*handle).close) // want `calls \(\*handle\)\.close\) as a safety net for Handle\.Release, .*callers must still call Release`
	return h
}

// Stop counts as an explicit release method too.
type Ticker struct {
	sock net.Conn
}

func (t *Ticker) Stop() { t.sock.Close() }

func NewTicker(sock net.Conn) *Ticker {
	t := &Ticker{sock: sock}
	runtime.SetFinalizer(t, func(t *Ticker) { t.sock.Close() }) // want `as a safety net for Ticker\.Stop`
	return t
}

// Inside a package, an unexported close method is the release API too.
type session struct {
	sock net.Conn
}

func (s *session) close() { s.sock.Close() }

func openSession(sock net.Conn) *session {
	s := &session{sock: sock}
	runtime.SetFinalizer(s, (*session).close) // want `calls \(\*session\)\.close\) as a safety net for session\.close, .*callers must still call close \(with defer\)`
	return s
}

// No release method anywhere: the finalizer is the only release, a warning.
type tunnel struct {
	sock net.Conn
}

func openTunnel(sock net.Conn) *tunnel {
	t := &tunnel{sock: sock}
	runtime.SetFinalizer(t, func(t *tunnel) { t.sock.Close() }) // want `the finalizer releases a resource \(calls t\.sock\.Close\), but the GC decides`
	return t
}
