// Forcing or disabling collection in production code.
package forcing

import (
	"log"
	"runtime"
	"runtime/debug"
	"time"
)

type handle struct{ fd int }

// Waiting for a finalizer by forcing collections: runtime.GC does not wait
// for finalizers, and they may never run.
func waitForFinalizer(h *handle) {
	done := make(chan struct{})
	runtime.SetFinalizer(h, func(*handle) { close(done) })
	h = nil
	for i := 0; i < 5; i++ {
		runtime.GC() // want `runtime\.GC forces a full collection and blocks the caller until it completes, but it does not wait for finalizers or cleanups to run: if this waits for them, release the resource explicitly instead; otherwise let the GC pace itself \(tune it with GOGC or GOMEMLIMIT\)`
		select {
		case <-done:
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	log.Print("finalizer did not run")
}

func trimAfterBatch(batch [][]byte) {
	batch = nil
	debug.FreeOSMemory() // want `debug\.FreeOSMemory forces a full collection and then returns as much memory to the operating system as it can, which the runtime already does gradually in the background: if memory keeps growing, find what retains it with a heap profile, and cap the heap with GOMEMLIMIT \(debug\.SetMemoryLimit\) instead`
}

func disableCollector() {
	debug.SetGCPercent(-1) // want `debug\.SetGCPercent\(-1\) disables garbage collection unless the memory limit is reached, so garbage and real leaks pile up alike: keep the collector on; to collect less often raise GOGC, or bound memory with GOMEMLIMIT \(debug\.SetMemoryLimit\)`
}

func deferredCollection() {
	defer runtime.GC() // want `runtime\.GC forces a full collection`
	log.Print("working")
}

// Not reported: a positive percentage only tunes the pacer.
func tune() {
	debug.SetGCPercent(200)
}

// Not reported: collection off with a memory limit is the documented way to
// collect only when the limit is near.
func memoryLimitOnly(limit int64) {
	debug.SetMemoryLimit(limit)
	debug.SetGCPercent(-1)
}

// Not reported: collecting first makes memory statistics current.
func heapInUse() uint64 {
	runtime.GC()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return stats.HeapAlloc
}

type gcRunner struct{}

func (gcRunner) GC() {}

// Not reported: runtime here is a local value.
func shadowed() {
	runtime := gcRunner{}
	runtime.GC()
}
