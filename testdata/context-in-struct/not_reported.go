// Structs whose context fields are not hidden, caller-scoped storage. None is reported.
package notreported

import (
	"context"
	"database/sql/driver"
	"io"
	"net/http"
	"testing"
	"time"
)

// Owner: the struct derived the context itself and keeps its cancel function, so the
// context lives exactly as long as the struct (until Close).
type poller struct {
	ctx    context.Context
	cancel context.CancelFunc
	every  time.Duration
}

func (p *poller) Close() { p.cancel() }

// Owner with a plain stop function.
type ticker struct {
	ctx  context.Context
	stop func()
	tick time.Duration
	name string
}

// Carrier: a Context method hands the context to callers, as http.Request does.
type envelope struct {
	ctx     context.Context
	payload []byte
	headers map[string]string
	retries int
}

func (e *envelope) Context() context.Context { return e.ctx }

// Adapter: io.Reader has no ctx parameter, so a reader that honours cancellation has to
// carry the context.
type cancelableReader struct {
	ctx   context.Context
	src   io.Reader
	read  int64
	limit int64
}

func (r *cancelableReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.src.Read(p)
}

// Small adapter to an interface without ctx (driver.Tx's Commit and Rollback).
type boundTx struct {
	ctx context.Context
	tx  interface {
		Commit(context.Context) error
		Rollback(context.Context) error
	}
}

func (b boundTx) Commit() error   { return b.tx.Commit(b.ctx) }
func (b boundTx) Rollback() error { return b.tx.Rollback(b.ctx) }

var _ driver.Tx = boundTx{}

// Decorator: embedding another package's type keeps that type's method signatures.
type loggingTransport struct {
	http.RoundTripper
	ctx    context.Context
	prefix string
	count  int
}

// Exported fields are data or parameters that callers set and read explicitly.
type LogEntry struct {
	Context context.Context
	Message string
}

// Test fixtures outside _test.go files (helpers of a test framework) hold a *testing.T.
type harness struct {
	t   *testing.T
	ctx context.Context
	dir string
	env []string
}

// Fields named as test hooks serve tests only; `_` fields cannot be read at all.
type throttler struct {
	testContext context.Context
	_           context.Context
	limit       int
	window      time.Duration
}

var _ = []any{poller{}, ticker{}, envelope{}, cancelableReader{}, loggingTransport{}, LogEntry{}, harness{}, throttler{}}
