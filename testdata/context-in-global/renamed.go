// Renamed and dot imports of context are recognised; look-alikes from other packages are not.
package renamedglobals

import (
	stdctx "context"
	"time"
)

var deadline, cancelDeadline = stdctx.WithDeadline(stdctx.Background(), time.Now().Add(time.Hour)) // want `package-level variable deadline holds a context derived with context\.WithDeadline`

var perGoroutine = map[int]stdctx.Context{} // want `package-level variable perGoroutine holds contexts.*goroutine-local storage is emulated`

var rootOK = stdctx.Background()

var _ = []any{deadline, cancelDeadline, perGoroutine, rootOK}
