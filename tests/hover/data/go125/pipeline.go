package ingest

import (
	"context"
	"errors"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"
)

func FetchAll(ctx context.Context, urls []string) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, url := range urls {
		g.Go(func() error {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			return resp.Body.Close()
		})
	}
	return g.Wait()
}

func Watch(ctx context.Context, check func() error) error {
	ticker := time.NewTicker(time.Second)
	for {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-ticker.C:
			if err := check(); err != nil {
				return err
			}
		}
	}
}

func Debounce(ctx context.Context, in <-chan struct{}, fire func()) {
	t := time.NewTimer(time.Hour)
	t.Stop()
	for {
		select {
		case <-in:
			t.Reset(100 * time.Millisecond)
		case <-t.C:
			fire()
		case <-ctx.Done():
			return
		}
	}
}

func WithBudget(parent context.Context, budget time.Duration, f func(context.Context) error) error {
	ctx, cancel := context.WithTimeoutCause(parent, budget, errors.New("budget spent"))
	defer cancel()
	stop := context.AfterFunc(ctx, func() { println("budget over") })
	defer stop()
	return f(ctx)
}

func Serve(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	select {
	case <-ctx.Done():
		http.Error(w, ctx.Err().Error(), http.StatusRequestTimeout)
	case <-time.After(time.Second):
		w.WriteHeader(http.StatusOK)
	}
}
