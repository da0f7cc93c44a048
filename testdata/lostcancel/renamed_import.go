// The context and os/signal packages imported under other names are still
// those packages; the messages keep the canonical package names. With
// context renamed, the identifier context names a package-level variable
// here, and calls on it are not constructors (vet wrongly reports them).

package renamed

import (
	c "context"
	"errors"
	"os"
	sig "os/signal"
	"time"
)

type fakeContexts struct{}

func (fakeContexts) WithCancel(parent c.Context) (c.Context, c.CancelFunc) {
	return parent, func() {}
}

var context fakeContexts

func blankThroughAlias(parent c.Context) c.Context {
	ctx, _ := c.WithCancel(parent) // want `^the cancel function returned by context\.WithCancel should be called, not discarded, to avoid a context leak$`
	return ctx
}

func leakThroughAlias(parent c.Context, fail bool) error {
	ctx, cancel := c.WithTimeout(parent, time.Second) // want `^the cancel function is not used on all paths`
	if fail {
		return errors.New("failed") // want `^this return statement may be reached without using the cancel var defined on line 30$`
	}
	defer cancel()
	return ctx.Err()
}

func signalAlias(parent c.Context) {
	ctx, _ := sig.NotifyContext(parent, os.Interrupt) // want `^the stop function returned by signal\.NotifyContext should be called, not discarded, to avoid a context leak$`
	<-ctx.Done()
}

func variableNamedContext(parent c.Context) c.Context {
	ctx, _ := context.WithCancel(parent) // vet:false-positive (a package-level var named context)
	return ctx
}
