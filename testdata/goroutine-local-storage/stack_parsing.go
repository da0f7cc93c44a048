// Goroutine IDs scraped from the "goroutine N [status]:" header of a stack trace.
package stackparsing

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
)

func currentID() uint64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false) // want `runtime\.Stack output is parsed for the "goroutine N" header to get a goroutine ID.*Go has no goroutine IDs by design.*pass a context\.Context`
	text := strings.TrimPrefix(string(buf[:n]), "goroutine ")
	id, _ := strconv.ParseUint(strings.Fields(text)[0], 10, 64)
	return id
}

func idFromDebugStack() (id int) {
	trace := debug.Stack() // want `debug\.Stack output is parsed for the "goroutine N" header`
	fmt.Sscanf(string(trace), "goroutine %d ", &id)
	return id
}

func idBySlicing() string {
	b := make([]byte, 64)
	b = b[len("goroutine "):runtime.Stack(b, false)] // want `runtime\.Stack output is parsed`
	return string(b[:bytes.IndexByte(b, ' ')])
}

// The prefix is often kept in a package-level variable; its name gives it away.
var goroutineSpace = []byte("goroutine ")

func idViaPrefixVar() uint64 {
	b := make([]byte, 64)
	b = b[:runtime.Stack(b, false)] // want `runtime\.Stack output is parsed`
	b = bytes.TrimPrefix(b, goroutineSpace)
	b = b[:bytes.IndexByte(b, ' ')]
	n, _ := strconv.ParseUint(string(b), 10, 64)
	return n
}

// The function's name says what the fixed offset 10 (len("goroutine ")) is for.
func getGoroutineID() uint64 {
	buf := make([]byte, 64)
	n := runtime.Stack(buf, false) // want `runtime\.Stack output is parsed`
	var id uint64
	for i := 10; i < n && buf[i] >= '0' && buf[i] <= '9'; i++ {
		id = id*10 + uint64(buf[i]-'0')
	}
	return id
}

// Inside a function literal held by a package-level variable.
var lookupID = func() string {
	var buf [32]byte
	n := runtime.Stack(buf[:], false) // want `runtime\.Stack output is parsed`
	if !bytes.HasPrefix(buf[:n], []byte("goroutine ")) {
		return ""
	}
	return strings.Fields(string(buf[:n]))[1]
}

// --- Not reported -------------------------------------------------------------------------

// Dumping every goroutine's stack for diagnostics.
func dumpAll(w io.Writer) {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	w.Write(buf[:n])
}

// Logging the current stack after a panic.
func logPanics() {
	if r := recover(); r != nil {
		log.Printf("panic: %v\n%s", r, debug.Stack())
	}
}

// Counting goroutines in a full dump (a leak check) looks at every header, but it asks how
// many goroutines exist, not which goroutine is running: Stack(buf, true) is not identity.
func countGoroutines() int {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	return strings.Count(string(buf[:n]), "goroutine ")
}

// The goroutine profile's name is not the trace header.
func dumpProfile(w io.Writer) {
	w.Write(debug.Stack())
	pprof.Lookup("goroutine").WriteTo(w, 1)
}

// A header line that merely starts with the word goroutine is not the trace prefix.
func writeReport(w io.Writer) {
	fmt.Fprintf(w, "goroutine report follows\n%s", debug.Stack())
}

// A local value named runtime shadows the package: its Stack method is not runtime.Stack.
type fakeRuntime struct{}

func (fakeRuntime) Stack(b []byte, all bool) int { return copy(b, "goroutine 1 [running]:") }

func shadowed() string {
	runtime := fakeRuntime{}
	var buf [32]byte
	n := runtime.Stack(buf[:], false)
	return strings.TrimPrefix(string(buf[:n]), "goroutine ")
}

// A parameter that merely mentions a goroutine ID does not make a panic logger a parser.
func logWithStack(goroutineID int) {
	log.Printf("goroutine %d panicked\n%s", goroutineID, debug.Stack())
}

// The stack is taken here and parsed elsewhere: only the function that does both is
// recognised, so this one is not reported.
func stackOnly() []byte {
	buf := make([]byte, 64)
	return buf[:runtime.Stack(buf, false)]
}
