// Finalizers and cleanups written as function literals that release
// something the garbage collector knows nothing about.
package resliteral

import (
	"bufio"
	"context"
	"log"
	"net"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
)

type peer struct {
	sock net.Conn
}

// The only code that ever closes the socket is the finalizer.
func dialPeer(c net.Conn) *peer {
	p := &peer{sock: c}
	runtime.SetFinalizer(p, func(p *peer) { // want `the finalizer releases a resource \(calls p\.sock\.Close\), but the GC decides when finalizers run, they may never run, and they do not run at program exit: release it with an explicit Close that callers defer, and keep the finalizer only as a leak detector that logs`
		p.sock.Close()
	})
	return p
}

type logWriter struct {
	out *bufio.Writer
}

// Buffered data is lost at exit: nothing runs this finalizer then.
func newLogWriter(f *os.File) *logWriter {
	w := &logWriter{out: bufio.NewWriter(f)}
	runtime.SetFinalizer(w, func(w *logWriter) { w.out.Flush() }) // want `calls w\.out\.Flush`
	return w
}

type rawFD struct {
	fd int
}

func openRaw(fd int) *rawFD {
	r := &rawFD{fd: fd}
	runtime.SetFinalizer(r, func(r *rawFD) { syscall.Close(r.fd) }) // want `calls syscall\.Close`
	return r
}

// Cleanups have the same timing problem.
func openRawWithCleanup(fd int) *rawFD {
	r := &rawFD{fd: fd}
	runtime.AddCleanup(r, func(fd int) { syscall.Close(fd) }, r.fd) // want `the cleanup releases a resource \(calls syscall\.Close\), but the GC decides when cleanups run, they may never run, and they do not run at program exit: release it with an explicit Close that callers defer, and keep the cleanup only as a leak detector that logs`
	return r
}

type worker struct {
	stop context.CancelFunc
}

// A field declared as a context.CancelFunc counts whatever its name.
func startWorker(parent context.Context) *worker {
	ctx, cancel := context.WithCancel(parent)
	w := &worker{stop: cancel}
	go func() { <-ctx.Done() }()
	runtime.SetFinalizer(w, func(w *worker) { w.stop() }) // want `calls w\.stop`
	return w
}

type job struct{ id int }

// A cancel function captured from the enclosing function, whatever its name.
func startJob(parent context.Context) *job {
	ctx, done := context.WithTimeout(parent, time.Minute)
	j := &job{id: 1}
	go func() { <-ctx.Done() }()
	runtime.SetFinalizer(j, func(*job) { done() }) // want `calls done`
	return j
}

type spool struct {
	path string
}

func newSpool(path string) *spool {
	s := &spool{path: path}
	runtime.SetFinalizer(s, func(s *spool) { os.Remove(s.path) }) // want `calls os\.Remove`
	return s
}

type guarded struct {
	mu *sync.Mutex
}

// A lock held for the object's lifetime and released by the finalizer.
func lockFor(mu *sync.Mutex) *guarded {
	mu.Lock()
	g := &guarded{mu: mu}
	runtime.SetFinalizer(g, func(g *guarded) { g.mu.Unlock() }) // want `calls g\.mu\.Unlock`
	return g
}

type poller struct {
	tick *time.Ticker
}

// Releasing work done in a goroutine started by the finalizer still counts.
func newPoller() *poller {
	p := &poller{tick: time.NewTicker(time.Second)}
	runtime.SetFinalizer(p, func(p *poller) { // want `calls p\.tick\.Stop`
		go func() { p.tick.Stop() }()
	})
	return p
}

// Not reported: a leak detector that only logs.
func leakDetector(c net.Conn) *peer {
	p := &peer{sock: c}
	runtime.SetFinalizer(p, func(p *peer) {
		log.Printf("peer %v was never closed", p.sock.RemoteAddr())
	})
	return p
}

type signal struct {
	done chan struct{}
}

// Not reported: closing a channel (the builtin close) signals a goroutine; it
// is not a release of an operating-system resource.
func notifyWhenCollected() (*signal, chan struct{}) {
	done := make(chan struct{})
	s := &signal{done: done}
	runtime.SetFinalizer(s, func(*signal) { close(done) })
	return s, done
}

var registry = struct {
	sync.Mutex
	live map[int]bool
}{live: map[int]bool{}}

// Not reported: a finalizer that takes and releases a lock around its own
// bookkeeping releases nothing the object held.
func tracked(id int) *job {
	j := &job{id: id}
	runtime.SetFinalizer(j, func(j *job) {
		registry.Lock()
		delete(registry.live, j.id)
		registry.Unlock()
	})
	return j
}

type index struct {
	entries map[string]int
}

func (ix *index) Remove(key string) { delete(ix.entries, key) }

var names = &index{entries: map[string]int{}}

// Not reported: a method called Remove usually forgets an in-memory entry;
// only os.Remove and os.RemoveAll delete files.
func named(key string) *job {
	j := &job{}
	runtime.SetFinalizer(j, func(*job) { names.Remove(key) })
	return j
}

// Not reported: removing a finalizer.
func forget(p *peer) {
	runtime.SetFinalizer(p, nil)
}

// Not reported here: the cleanup closes over p, so it never runs at all;
// finalizer-self-reference reports that instead.
func selfReferencing(c net.Conn) *peer {
	p := &peer{sock: c}
	runtime.AddCleanup(p, func(int) { p.sock.Close() }, 0)
	return p
}

// Not reported: a callback of unknown origin.
func withCallback(p *peer, fin func(*peer)) {
	runtime.SetFinalizer(p, fin)
}
