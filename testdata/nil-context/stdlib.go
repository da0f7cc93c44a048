// The standard library's context-taking functions and the name convention
// for methods (QueryContext, DialContext...).

package stdlib

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"os/exec"
	"os/signal"
	"time"

	"golang.org/x/sync/errgroup"
)

func constructors() {
	ctx, cancel := context.WithCancel(nil) // want `of context\.WithCancel, which panics with "cannot create context from nil parent"`
	defer cancel()
	_, stop := context.WithTimeout(nil, time.Second) // want `cannot create context from nil parent`
	defer stop()
	_ = context.WithValue(nil, ctxKey{}, 1) // want `of context\.WithValue`
	_, _ = signal.NotifyContext(nil)        // want `of signal\.NotifyContext`
	_, _ = errgroup.WithContext(nil)        // want `of errgroup\.WithContext`
	_ = ctx
}

type ctxKey struct{}

func requests(db *sql.DB, dialer *net.Dialer) error {
	req, err := http.NewRequestWithContext(nil, "GET", "/", nil) // want `returns the error "net/http: nil Context"`
	if err != nil {
		return err
	}
	_ = req.WithContext(nil)                      // want `of WithContext, which panics with a nil-pointer dereference`
	_ = exec.CommandContext(nil, "true")          // want `panics with "nil Context"`
	rows, err := db.QueryContext(nil, "SELECT 1") // want `of QueryContext`
	if err == nil {
		rows.Close()
	}
	tx, _ := db.BeginTx(nil, nil) // want `of BeginTx`
	_ = tx
	conn, _ := dialer.DialContext(nil, "tcp", "localhost:1") // want `of DialContext`
	_ = conn
	return nil
}

// Not reported: a context that is not nil, nil elsewhere than first, a call
// whose name says nothing about contexts.
func fine(ctx context.Context, db *sql.DB) {
	_, _ = db.QueryContext(ctx, "SELECT 1")
	_ = http.NewRequest("GET", "/", nil)
	var err error
	_ = errorsIs(nil, err)
	_ = Context(nil)
}

func errorsIs(a, b error) bool { return a == b }

// A function named exactly Context takes anything.
func Context(v any) any { return v }

// Names ending in Context that take something else.
type user struct{}

func NewSecurityContext(u *user) any { return u }

func notContexts() {
	_ = NewSecurityContext(nil)
}
