// klog's Fatal and Exit families terminate the process. Its Error family
// does not.

package noreturnklog

import (
	"context"

	"k8s.io/klog/v2"
)

var root = context.Background()

func broken() bool { return false }

func klogNoReturn(mode int) {
	_, cancel := context.WithCancel(root)
	switch mode {
	case 0:
		klog.Fatal("a")
	case 1:
		klog.Fatalf("%s", "b")
	case 2:
		klog.Exit("c")
	case 3:
		klog.Exitf("%s", "d")
	default:
		cancel()
	}
}

func klogErrorReturns() {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	if broken() {
		klog.Error("logged only")
		return // want `^this return statement may be reached without using the cancel var defined on line 33$`
	}
	cancel()
}
