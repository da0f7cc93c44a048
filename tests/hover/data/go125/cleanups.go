package ingest

import (
	"os"
	"runtime"
)

type Segment struct {
	file *os.File
	data []byte
}

func OpenSegment(name string) (*Segment, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	s := &Segment{file: f}
	cleanup := runtime.AddCleanup(s, func(f *os.File) { f.Close() }, f)
	_ = cleanup
	return s, nil
}

type Handle struct {
	fd      uintptr
	cleanup runtime.Cleanup
}

func NewHandle(fd uintptr) *Handle {
	h := &Handle{fd: fd}
	h.cleanup = runtime.AddCleanup(h, closeFD, fd)
	return h
}

func (h *Handle) Close() {
	h.cleanup.Stop()
	closeFD(h.fd)
}

func closeFD(fd uintptr) {}

func Detach(name string) {
	f, _ := os.Open(name)
	c := runtime.AddCleanup(f, func(int) {}, 0)
	c.Stop()
}
