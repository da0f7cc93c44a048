// A method expression of another package's type as the finalizer: the
// object's own release method runs from the GC. The method's body is not
// in this package, so only its name says it releases something; a release
// API name (Close, Stop, Release...) is the type's explicit API, so the
// finalizer is a safety net and the finding is information.
package resimported

import (
	"bufio"
	"os"
	"runtime"

	"github.com/klauspost/compress/zstd"
)

func openLog(name string) *os.File {
	f, _ := os.Open(name)
	runtime.SetFinalizer(f, (*os.File).Close) // want `calls \(\*os\.File\)\.Close\) as a safety net for os\.File\.Close`
	return f
}

func decoder() *zstd.Decoder {
	d, _ := zstd.NewReader(nil)
	runtime.SetFinalizer(d, (*zstd.Decoder).Close) // want `safety net for zstd\.Decoder\.Close`
	return d
}

// A method whose name releases nothing: not reported.
func buffered(w *bufio.Writer) {
	runtime.SetFinalizer(w, (*bufio.Writer).Size)
}

// A method expression of an unexported name cannot belong to another package.
func writer(w *bufio.Writer) {
	runtime.SetFinalizer(w, (*bufio.Writer).Flush) // want `calls \(\*bufio\.Writer\)\.Flush\), but the GC decides`
}
