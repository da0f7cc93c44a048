// A cancel assigned with `=` inside a loop, guarded by state that syntax
// cannot follow: the path that comes back round to the same assignment is
// not an overwrite ctx-lsp can prove (the guard turns it off after the first
// pass), so no "overwritten" finding quotes the same line twice. go vet and
// staticcheck say nothing about the loop either; vet's path findings (the
// return that skips runCancel) are kept, as vet reports them.

package loop_back

import "context"

type runner struct{ started bool }

func (s *runner) run(ctx context.Context, ch chan int) {
	var runCtx context.Context
	var runCancel context.CancelFunc
	for v := range ch {
		if !s.started {
			runCtx, runCancel = context.WithCancel(ctx) // want `^the runCancel function is not used on all paths \(possible context leak\)$`
			s.started = true
		}
		if v == 0 {
			runCancel()
			return
		}
		_ = runCtx
	}
} // want `^this return statement may be reached without using the runCancel var defined on line 19$`

// Each pass cancels before the next assignment: nothing to report at all.
func (s *runner) restartEachTime(ctx context.Context, ch chan int) {
	var cancel context.CancelFunc = func() {}
	for range ch {
		cancel()
		_, cancel = context.WithCancel(ctx)
	}
	cancel()
}
