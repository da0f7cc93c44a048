// ctxlsp:testdata go.mod=1.24

// A type used by cross_with_import.go, declared in another file.
package prefercross

import "bufio"

type sink struct {
	out *bufio.Writer
	id  int
}
