// Types named for one operation's parameters or state carry that operation's context; the
// context is passed to the operation, inside its parameter object. Not reported.
package operations

import (
	"context"
	"net/url"
)

type LoadConfig struct {
	ctx   context.Context
	dir   string
	tests bool
}

type fetchOptions struct {
	ctx     context.Context
	retries int
	verbose bool
}

type handshakeState struct {
	ctx      context.Context
	hello    []byte
	finished bool
	resumed  bool
}

type dialRequest struct {
	ctx  context.Context
	addr *url.URL
	done chan struct{}
	err  error
}

type searchCall struct {
	ctx   context.Context
	query string
	limit int
	page  int
}

type uploadContext struct {
	ctx  context.Context
	name string
	size int64
	sent int64
}

// The suffix rule looks at the last word only (ignoring a trailing acronym or version):
// a state machine is a long-lived component, so it is reported.
type StateMachine struct {
	ctx     context.Context // want `struct field ctx stores a context`
	current string
	history []string
	limit   int
}

var _ = []any{LoadConfig{}, fetchOptions{}, handshakeState{}, dialRequest{}, searchCall{}, uploadContext{}, StateMachine{}}
