// Uses that may run before Wait, reading the cause, reassigned contexts; and
// the "=" form of the WithContext assignment, which is reported.

package quiet

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
)

func fetch(ctx context.Context) error { return nil }

func before(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return fetch(gctx) })
	return g.Wait()
}

func cause(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return errors.New("x") })
	_ = g.Wait()
	return context.Cause(gctx)
}

func branch(ctx context.Context, wait bool) error {
	g, gctx := errgroup.WithContext(ctx)
	if wait {
		_ = g.Wait()
	}
	return fetch(gctx)
}

func deferred(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	defer g.Wait()
	go g.Wait()
	return fetch(gctx)
}

func reassigned(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	_ = g.Wait()
	gctx = ctx
	return fetch(gctx)
}

func blank(ctx context.Context) error {
	g, _ := errgroup.WithContext(ctx)
	return g.Wait()
}

func inLiteral(ctx context.Context) func() error {
	g, gctx := errgroup.WithContext(ctx)
	return func() error {
		_ = g.Wait()
		return fetch(gctx)
	}
}

func newGroupEachRound(ctx context.Context, rounds int) error {
	for i := 0; i < rounds; i++ {
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error { return fetch(gctx) })
		if err := g.Wait(); err != nil {
			return err
		}
	}
	return nil
}

type logger struct{}

func (logger) InfoContext(ctx context.Context, msg string) {}

func G(ctx context.Context) logger { return logger{} }

func valuesOnly(ctx context.Context, l logger) error {
	g, gctx := errgroup.WithContext(ctx)
	_ = g.Wait()
	G(gctx).InfoContext(gctx, "done")
	return nil
}

func secondGroupInTheSameVariable(ctx context.Context) error {
	eg, first := errgroup.WithContext(ctx)
	eg.Go(func() error { return fetch(first) })
	if err := eg.Wait(); err != nil {
		return err
	}
	eg, second := errgroup.WithContext(ctx)
	eg.Go(func() error { return fetch(second) })
	return eg.Wait()
}

func assignedForm(ctx context.Context) error {
	var g *errgroup.Group
	var gctx context.Context
	g, gctx = errgroup.WithContext(ctx)
	_ = g.Wait()
	return fetch(gctx) // want `gctx is already canceled here`
}
