// This file does not import the context package, so the name context can
// only be a local value here; its WithCancel method is not the
// constructor. (vet skips files of packages that do not import context.)

package noimport

type tracker struct{}

func (tracker) WithCancel(parent any) (any, func()) { return parent, func() {} }

func track(maybe bool) {
	context := tracker{}
	handle, _ := context.WithCancel(nil)
	_, cancel := context.WithCancel(handle)
	if maybe {
		cancel()
	}
}
