package orders

import (
	"os"
	"runtime"
)

type File struct {
	f *os.File
}

func OpenFile(name string) (*File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	file := &File{f: f}
	runtime.SetFinalizer(file, func(x *File) { x.f.Close() })
	return file, nil
}

func (f *File) Close() error {
	runtime.SetFinalizer(f, nil)
	return f.f.Close()
}

type node struct {
	next *node
	fd   int
}

func link() *node {
	a := &node{}
	b := &node{next: a}
	a.next = b
	runtime.SetFinalizer(a, func(n *node) {})
	return a
}

func read(f *File, buf []byte) (int, error) {
	n, err := f.f.Read(buf)
	runtime.KeepAlive(f)
	return n, err
}
