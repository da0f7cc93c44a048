// The group's context is canceled once Wait returns: uses after it fail.

package phases

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func fetch(ctx context.Context, id int) error { return nil }

func twoPhases(ctx context.Context, ids []int) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		id := id
		g.Go(func() error { return fetch(gctx, id) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return fetch(gctx, 0) // want `^gctx is already canceled here: g\.Wait\(\) on line 19 canceled it`
}

func checksErr(ctx context.Context) error {
	group, groupCtx := errgroup.WithContext(ctx)
	group.Go(func() error { return fetch(groupCtx, 1) })
	err := group.Wait()
	if groupCtx.Err() != nil { // want `^groupCtx is already canceled here: group\.Wait\(\) on line 28`
		return err
	}
	go func() {
		<-groupCtx.Done() // want `groupCtx is already canceled`
	}()
	return nil
}

func insideTheIf(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	if err := g.Wait(); err != nil {
		return fetch(gctx, 2) // want `gctx is already canceled`
	}
	return nil
}

func rootParent() {
	g, gctx := errgroup.WithContext(context.Background())
	_ = g.Wait()
	_ = fetch(gctx, 3) // want `use the parent context context\.Background\(\)`
}
