// A body-less getg is implemented in assembly (or linknamed) to read the runtime's
// current-goroutine pointer.
package getgdecl

import (
	"unsafe"
)

func getg() unsafe.Pointer // want `body-less func getg reads the runtime's current goroutine pointer.*Go has no goroutine IDs or goroutine-local storage by design.*layouts.*change between Go releases.*pass a context\.Context`

// Assembly stubs with other names are common (math, crypto) and not reported.
func archSqrt(x float64) float64

// A getg with a body is ordinary Go code.
type g struct{ id int64 }

var self = &g{id: 1}

func getgFromCache() *g { return self }

func get() *g { return self }

// A method named getg is not the runtime stub.
type holder struct{}

func (holder) getg() *g { return self }

var _ = []any{getg, archSqrt, getgFromCache, get, holder{}.getg}
