// ctxlsp:testdata go.mod=1.24

// Types used by cross_with_import.go and cross_without_import.go.
package prefercross

import "bufio"

type sink struct {
	out *bufio.Writer
	id  int
}
