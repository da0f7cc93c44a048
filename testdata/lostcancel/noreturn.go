// Calls that never return end a path without reaching a return, so a
// path that ends in one needs no cancel call. In each clean function below
// the only path that skips the cancel call ends in such a call; if the
// call were taken to return, the end of the function would leak. The
// leaking functions use look-alikes that do return.

package noreturn

import (
	"context"
	"fmt"
	"log"
	"os"
	"runtime"
	"syscall"
	"testing"
)

var root = context.Background()

func broken() bool { return false }

func builtinPanic() {
	_, cancel := context.WithCancel(root)
	if !broken() {
		cancel()
		return
	}
	panic("broken")
}

func processExit() {
	_, cancel := context.WithCancel(root)
	if !broken() {
		cancel()
		return
	}
	os.Exit(1)
}

func syscallExit() {
	_, cancel := context.WithCancel(root)
	if !broken() {
		cancel()
		return
	}
	syscall.Exit(3)
}

func goroutineExit() {
	_, cancel := context.WithCancel(root)
	if !broken() {
		cancel()
		return
	}
	runtime.Goexit()
}

// Every Fatal and Panic function of package log.
func logPackage(mode int) {
	_, cancel := context.WithCancel(root)
	switch mode {
	case 0:
		log.Fatal("a")
	case 1:
		log.Fatalf("%s", "b")
	case 2:
		log.Fatalln("c")
	case 3:
		log.Panic("d")
	case 4:
		log.Panicf("%s", "e")
	case 5:
		log.Panicln("f")
	default:
		cancel()
	}
}

// The same methods on a *log.Logger parameter.
func loggerParameter(logger *log.Logger, mode int) {
	_, cancel := context.WithCancel(root)
	switch mode {
	case 0:
		logger.Fatalf("%d", mode)
	case 1:
		logger.Panicln("bad mode")
	default:
		cancel()
	}
}

// Test helpers that stop the test goroutine, on parameters of the testing
// types. Note: go vet does not resolve calls through the testing.TB
// interface and reports testingTB (a false positive: only the testing
// package's own types implement TB); ctx-lsp follows the declared type.
func testingT(t *testing.T, mode int) {
	_, cancel := context.WithCancel(root)
	switch mode {
	case 0:
		t.Fatal("a")
	case 1:
		t.Fatalf("%s", "b")
	case 2:
		t.FailNow()
	case 3:
		t.Skip("c")
	case 4:
		t.Skipf("%s", "d")
	case 5:
		t.SkipNow()
	default:
		cancel()
	}
}

func testingB(b *testing.B) {
	_, cancel := context.WithCancel(root)
	if !broken() {
		cancel()
		return
	}
	b.Fatal("broken")
}

func testingF(f *testing.F) {
	_, cancel := context.WithCancel(root)
	if !broken() {
		cancel()
		return
	}
	f.Skip("no corpus")
}

func testingTB(tb testing.TB) {
	_, cancel := context.WithCancel(root) // vet:false-positive (vet cannot know TB.FailNow never returns)
	if !broken() {
		cancel()
		return
	}
	tb.FailNow()
}

// Functions of this file whose bodies cannot return, directly or through
// each other, and one that loops forever.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format, args...)
	os.Exit(2)
}

func die(msg string) {
	fatalf("%s\n", msg)
}

func serveForever() {
	for {
		broken()
	}
}

func sameFileNoReturn(mode int) {
	_, cancel := context.WithCancel(root)
	switch mode {
	case 0:
		fatalf("mode %d", mode)
	case 1:
		die("mode 1")
	case 2:
		serveForever()
	default:
		cancel()
	}
}

// Look-alikes that return: reporting and logging continue.
func checkNoPanic(err error) {
	if err != nil {
		panic(err)
	}
}

func testingLogAndError(t *testing.T) {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	if broken() {
		t.Log("still running")
		t.Error("marked failed, still running")
		return // want `^this return statement may be reached without using the cancel var defined on line 183$`
	}
	cancel()
}

func mayReturnHelper(err error) {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	if broken() {
		checkNoPanic(err)
		log.Print("logged")
		return // want `^this return statement may be reached without using the cancel var defined on line 193$`
	}
	cancel()
}

// A panic inside a function literal ends the literal, not the caller.
func panicInLiteral(run func(func())) {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	if broken() {
		run(func() { panic("inside") })
		return // want `^this return statement may be reached without using the cancel var defined on line 204$`
	}
	cancel()
}

// A Fatal method of some other type is an ordinary call.
type reporter struct{ failed bool }

func (r *reporter) Fatal(msg string) { r.failed = true }

func otherFatal(r *reporter) {
	_, cancel := context.WithCancel(root) // want `^the cancel function is not used on all paths`
	if broken() {
		r.Fatal("not fatal at all")
		return // want `^this return statement may be reached without using the cancel var defined on line 218$`
	}
	cancel()
}
