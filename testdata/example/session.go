package leaky

import (
	"context"
	"fmt"
	"os"
	"runtime"
)

// Session records what one client does. It keeps the context it was
// created with in a field, which hides how long that context is meant to
// live, and it leaves closing its log file to a finalizer, which may run
// late or never.
type Session struct {
	ctx context.Context
	log *os.File
}

// NewSession opens the session's log file.
func NewSession(ctx context.Context, path string) (*Session, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	s := &Session{ctx: ctx, log: f}
	runtime.SetFinalizer(s, func(s *Session) {
		s.log.Close()
	})
	return s, nil
}

// Record appends one line to the session log.
func (s *Session) Record(event string) error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(s.log, event)
	return err
}
