// x/sys/unix.Close is recognised like syscall.Close.
package resunix

import (
	"runtime"

	"golang.org/x/sys/unix"
)

type device struct {
	fd int
}

func openDevice(fd int) *device {
	d := &device{fd: fd}
	runtime.AddCleanup(d, func(fd int) { unix.Close(fd) }, d.fd) // want `the cleanup releases a resource \(calls unix\.Close\)`
	return d
}
