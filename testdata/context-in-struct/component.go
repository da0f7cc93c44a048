// The blog post's example: a component keeps the context it was constructed with and every
// method runs under it, so callers cannot give one call a deadline or cancel it.
package component

import (
	"context"
	"net/http"
)

type Client struct {
	ctx  context.Context // want `struct field ctx stores a context \(type context\.Context\): a stored context hides its lifetime from callers and mixes the scopes of separate calls; pass ctx as the first parameter of each function that needs it instead`
	base string
	http *http.Client
}

func NewClient(ctx context.Context, base string) *Client {
	return &Client{ctx: ctx, base: base, http: http.DefaultClient}
}

func (c *Client) Get(path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(c.ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	return c.http.Do(req)
}

func (c *Client) Delete(path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(c.ctx, http.MethodDelete, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	return c.http.Do(req)
}

// An unexported component with more than two methods is not mistaken for an adapter.
type uploader struct {
	ctx    context.Context // want `struct field ctx stores a context`
	client *Client
}

func (u *uploader) Start()       {}
func (u *uploader) Pause()       {}
func (u *uploader) Resume() bool { return u.ctx.Err() == nil }
