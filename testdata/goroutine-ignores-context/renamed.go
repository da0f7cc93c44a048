// The context package under another name.
package goctx

import (
	gocontext "context"
)

func renamedImport(ctx gocontext.Context, values <-chan int) {
	go func() { // want `this goroutine can never return and never uses ctx`
		for {
			process(<-values)
		}
	}()
}
