// Package leaky is a small service with the mistakes ctx-lsp reports.
// Open it in an editor with ctx-lsp enabled, or run `ctx-lsp check .`.
package leaky

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// ProfileHandler serves user profiles from a slow backend.
type ProfileHandler struct {
	Backend Backend
}

// ServeHTTP bounds each backend call with a timeout. The early return for
// a missing id comes before the defer, so on that path cancel is never
// called and the context lives on until its parent is canceled or the
// timer fires.
func (h *ProfileHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	id := r.URL.Query().Get("id")
	if id == "" {
		http.Error(w, "missing id", http.StatusBadRequest)
		return
	}
	defer cancel()

	profile, err := h.Backend.Profile(ctx, id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(profile)
}

// Warm preloads profiles into the backend's cache. The cancel function is
// thrown away, so the 30-second context cannot be released early.
func Warm(parent context.Context, b Backend, ids []string) {
	ctx, _ := context.WithTimeout(parent, 30*time.Second)
	for _, id := range ids {
		_, _ = b.Profile(ctx, id)
	}
}
