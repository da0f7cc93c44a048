// A type that implements an interface whose methods take no context has to
// carry the context its methods need: the interface cannot pass it. Not
// reported when a method of such an interface reads the context field:
// asserted in the source (var _ I = (*T)(nil)), or matched by method names
// against an interface of the package or the module, the standard library's
// (io.Reader, sort.Interface, http.Handler...) or an iterator's Next().
package ctxinterfaces

import (
	"context"
	"net/http"
)

type Lister interface {
	List() []string
	Count() int
}

// Asserted: the assertion names an interface without context parameters.
var _ Lister = (*cachedLister)(nil)

type cachedLister struct {
	ctx   context.Context
	items []string
	fetch func(context.Context) []string
	hits  int
	label string
}

func (c *cachedLister) List() []string { return c.fetch(c.ctx) }
func (c *cachedLister) Count() int     { return len(c.items) }

// Matched by names against the package's interface, without an assertion.
type remoteLister struct {
	ctx  context.Context
	addr string
	size int
	hits  int
	label string
}

func (r *remoteLister) List() []string { return lookup(r.ctx, r.addr) }
func (r *remoteLister) Count() int     { return r.size }

// An iterator: Next() takes nothing, so the context travels in the struct.
type rowIterator struct {
	ctx  context.Context
	rows []string
	pos  int
	err  error
}

func (it *rowIterator) Next() bool {
	if it.ctx.Err() != nil {
		it.err = it.ctx.Err()
		return false
	}
	it.pos++
	return it.pos < len(it.rows)
}
func (it *rowIterator) Row() string  { return it.rows[it.pos] }
func (it *rowIterator) Close() error { return it.err }

// sort.Interface: Len, Less and Swap take no context.
type byRemoteScore struct {
	ctx   context.Context
	keys  []string
	score func(context.Context, string) int
}

func (s byRemoteScore) Len() int      { return len(s.keys) }
func (s byRemoteScore) Swap(i, j int) { s.keys[i], s.keys[j] = s.keys[j], s.keys[i] }
func (s byRemoteScore) Less(i, j int) bool {
	return s.score(s.ctx, s.keys[i]) < s.score(s.ctx, s.keys[j])
}

// http.Handler.
type boundHandler struct {
	ctx  context.Context
	name string
	next http.Handler
	hits  int
	label string
}

func (h *boundHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.next.ServeHTTP(w, r.WithContext(h.ctx))
}

// Still reported: the interface's method does not read the context; the
// method that does could take it as a parameter.
type Fetcher struct {
	ctx  context.Context // want `struct field ctx stores a context`
	addr string
	n    int
}

func (f *Fetcher) Close() error { return nil }
func (f *Fetcher) Fetch() []string { return lookup(f.ctx, f.addr) }
func (f *Fetcher) Size() int { return f.n }

// Still reported: an interface whose methods take a context does not force
// the context into the struct.
type Store interface {
	Get(ctx context.Context, key string) string
	Put(ctx context.Context, key, value string)
}

var _ Store = (*kvStore)(nil)

type kvStore struct {
	ctx  context.Context // want `struct field ctx stores a context`
	data map[string]string
	addr string
}

func (s *kvStore) Get(ctx context.Context, key string) string { return lookup(s.ctx, key)[0] }
func (s *kvStore) Put(ctx context.Context, key, value string) { s.data[key] = value }
func (s *kvStore) Refresh()                                   { lookup(s.ctx, s.addr) }

func lookup(ctx context.Context, addr string) []string { return []string{addr} }
