// Collecting right before writing a heap profile is what runtime/pprof's own
// documentation shows; it is not reported.
package forcingprofiles

import (
	"os"
	"runtime"
	"runtime/pprof"
)

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC() // get up-to-date statistics
	return pprof.WriteHeapProfile(f)
}

func atExit(register func(func()), path string) {
	register(func() {
		runtime.GC()
		f, err := os.Create(path)
		if err != nil {
			return
		}
		defer f.Close()
		pprof.Lookup("heap").WriteTo(f, 0)
	})
}
