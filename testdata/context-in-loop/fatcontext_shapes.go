// fatcontext's test shapes, in our words, with what ctx-lsp reports.
// Deliberate differences (see the rule's doc): a loop that always breaks
// after one pass cannot come back to the assignment; a function literal is
// not a loop; a loop whose only read of the context is the next derivation
// only builds a context for later.
package loopfatshapes

import "context"

func layer(ctx context.Context) context.Context {
	return context.WithoutCancel(ctx)
}

func failing() error { return nil }

func consume(context.Context) error { return nil }

func shapes(root context.Context) {
	ctx := root
	for _, item := range []string{"a", "b"} {
		ctx = layer(ctx) // want `re-derived from itself`
		inner := context.WithValue(ctx, item, item)
		_ = consume(inner)
	}

	for {
		ctx = layer(ctx) // deliberate: the loop always breaks after one pass
		break
	}

	_ = func() {
		ctx = layer(ctx) // deliberate: a function literal is not a loop
	}

	for {
		other := context.Background()
		ctx = layer(ctx) // deliberate: nothing reads ctx but the next derivation
		if failing() != nil {
			other = layer(other)
			_ = other
		}
	}
}

func nestedBlocks(ctx context.Context) {
	for {
		if failing() != nil {
			ctx = layer(ctx) // deliberate: the loop always breaks after one pass
		}
		break
	}
	for {
		switch failing() {
		case nil:
			ctx = layer(ctx) // deliberate: the loop always breaks after one pass
		}
		break
	}
	for {
		select {
		case <-ctx.Done():
			ctx = layer(ctx) // deliberate: the loop always breaks after one pass
		default:
		}
		break
	}
}

func middleware(ctx context.Context) func() error {
	return func() error {
		ctx = layer(ctx) // deliberate: a function literal is not a loop (one layer per call)
		return consume(ctx)
	}
}

// The same shapes when the loop does come back and uses the context.
func repeating(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		if failing() != nil {
			ctx = layer(ctx) // want `re-derived from itself`
		}
		_ = consume(ctx)
	}
}
