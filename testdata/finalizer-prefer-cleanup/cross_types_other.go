// ctxlsp:testdata go.mod=1.24

// A type used by cross_without_import.go, declared in another file.
package prefercrossother

import "bufio"

type sink struct {
	out *bufio.Writer
	id  int
}
