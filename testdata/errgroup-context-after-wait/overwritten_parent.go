// eg, ctx := errgroup.WithContext(ctx) overwrites the parent: after Wait the
// function has only a canceled context left. No fix: the parent is gone.

package overwritten

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func fetch(ctx context.Context) error { return nil }

func chain(ctx context.Context) error {
	eg, ctx := errgroup.WithContext(ctx)
	eg.Go(func() error { return fetch(ctx) })
	if err := eg.Wait(); err != nil {
		return err
	}
	return fetch(ctx) // want `errgroup\.WithContext\(ctx\) replaced the parent context in ctx`
}

func secondPhase(ctx context.Context) error {
	eg, egctx := errgroup.WithContext(ctx)
	eg.Go(func() error { return fetch(egctx) })
	if err := eg.Wait(); err != nil {
		return err
	}
	eg.Go(func() error { return fetch(egctx) }) // want `egctx is already canceled here: eg\.Wait\(\) on line 26`
	return eg.Wait()
}
