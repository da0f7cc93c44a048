// Collections someone asks for by name, or made to take a measurement, are
// deliberate features rather than workarounds: not reported.
package forcingdeliberate

import (
	"net/http"
	"runtime"
	"runtime/debug"
)

// A debug endpoint registered under a path naming GC.
func registerDebug(mux *http.ServeMux) {
	mux.HandleFunc("/debug/gc", func(w http.ResponseWriter, r *http.Request) {
		runtime.GC()
		w.WriteHeader(http.StatusNoContent)
	})
}

// A function named after what it does.
func forceGC() {
	runtime.GC()
	debug.FreeOSMemory()
}

type options struct {
	gcBetweenRuns bool
}

// An option named after GC guards the call.
func run(opts options, work func()) {
	if opts.gcBetweenRuns {
		runtime.GC()
	}
	work()
}

// The statistics are read by a helper of this package.
func snapshot() uint64 {
	runtime.GC()
	return heapBytes()
}

func heapBytes() uint64 {
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return stats.HeapInuse
}

type profiler interface {
	WriteProfileTo(name string, w http.ResponseWriter, debug int) error
}

// A wrapper named after the profile it writes.
func serveAllocs(p profiler, w http.ResponseWriter) error {
	runtime.GC()
	return p.WriteProfileTo("allocs", w, 0)
}

func writeProfile(name string, w http.ResponseWriter) {}

// A heap profile requested by name from a helper.
func dumpAllocs(w http.ResponseWriter) {
	runtime.GC()
	writeProfile("allocs", w)
}

// Reported: a word merely containing the letters g and c is not about GC.
func flush(msgCount int) {
	if msgCount > 100 {
		runtime.GC() // want `runtime\.GC forces a full collection`
	}
}
