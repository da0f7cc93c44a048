// The cases of contextcheck's test file, in our own words.
// ctxlsp:testdata go.mod=1.20

package cases

import (
	"context"
	"net/http"
)

type label string

func use(ctx context.Context) {}

func noContext() {
	use(context.TODO()) // no context at hand: not reported
}

func callsHelpers() {
	noContext()
}

func passes(ctx context.Context) {
	defer use(ctx)
	go use(ctx)
	use(ctx)

	ctx = context.WithValue(ctx, label("k"), "v")
	use(ctx)

	// contextcheck reports these two ("should pass the context parameter");
	// ctx-lsp does not follow calls into other functions.
	noContext()
	callsHelpers()

	defer func() {
		use(ctx)
	}()

	func(ctx context.Context) {
		use(ctx)
	}(ctx)

	use(context.Background()) // want `^context\.Background\(\) passed to use while the context parameter ctx is at hand`
}

// contextcheck reports this one; ctx-lsp does not: once the parameter is
// overwritten, no context is at hand any more.
func reassigned(ctx context.Context) {
	use(ctx)
	ctx = context.Background()
	use(ctx)
}

func viaLocal(ctx context.Context) {
	fresh := context.Background() // want `^context\.Background\(\) stored in fresh and passed to use while the context parameter ctx`
	use(fresh)
}

func derivedByHelper(ctx context.Context) {
	ctx, cancel := derive(ctx)
	defer cancel()
	use(ctx)
}

func derive(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithCancel(ctx)
}

func handle(ctx context.Context, w http.ResponseWriter, r *http.Request) {}

func handler(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	handle(ctx, w, r)
	handle(context.Background(), w, r) // want `while the request's context r\.Context\(\) is at hand`
}

func handlerWithFlag(in bool, w http.ResponseWriter, r *http.Request) {
	handle(r.Context(), w, r)
	handle(context.Background(), w, r) // want `pass r\.Context\(\)`
}

func suppressed(w http.ResponseWriter, r *http.Request) {
	handle(context.Background(), w, r) //nolint:context-not-inherited
}

func registers() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		handle(r.Context(), w, r)
		handle(context.Background(), w, r) // want `r\.Context\(\)`
	})
}

type numbers[T int | float64] []T

func (s numbers[T]) sum(ctx context.Context) T {
	use(context.TODO()) // want `^context\.TODO\(\) passed to use`
	var total T
	for _, v := range s {
		total += v
	}
	return total
}

func largest[T int | float64](ctx context.Context, a, b T) T {
	use(context.TODO()) // want `passed to use`
	if a > b {
		return a
	}
	return b
}
