// A context kept only as the handle of runtime/trace or a logger: every read
// of the field passes it to a trace or logging call. Not reported.
package ctxhandles

import (
	"context"
	"log/slog"
	"runtime/trace"
)

type phase struct {
	traceCtx context.Context
	name     string
	hits  int
	label string
}

func (p *phase) begin() *trace.Region { return trace.StartRegion(p.traceCtx, p.name) }
func (p *phase) note(msg string)      { trace.Log(p.traceCtx, p.name, msg) }

type auditor struct {
	ctx    context.Context
	logger *slog.Logger
	hits  int
	label string
}

func (a *auditor) record(msg string) { a.logger.InfoContext(a.ctx, msg) }

// Reported: the context is also used for work, not only for the log line.
type syncer struct {
	ctx    context.Context // want `struct field ctx stores a context`
	logger *slog.Logger
	pull   func(context.Context) error
	retries int
}

func (s *syncer) sync() error {
	s.logger.InfoContext(s.ctx, "sync")
	return s.pull(s.ctx)
}
