package orders

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"time"
)

type Store interface {
	Load(ctx context.Context, id string) (Order, error)
	Save(ctx context.Context, o Order) error
}

type Order struct {
	ID     string
	Status string
}

type Handler struct {
	store Store
	log   *log.Logger
}

func (h *Handler) Get(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	order, err := h.store.Load(ctx, r.URL.Query().Get("id"))
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			http.Error(w, "timeout", http.StatusGatewayTimeout)
			return
		}
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	_ = json.NewEncoder(w).Encode(order)
}

func (h *Handler) Update(w http.ResponseWriter, r *http.Request) {
	var order Order
	if err := json.NewDecoder(r.Body).Decode(&order); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	bg := context.WithoutCancel(r.Context())
	go h.audit(bg, order)
	ctx, cancel := context.WithCancel(r.Context())
	if err := h.store.Save(ctx, order); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	cancel()
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) audit(ctx context.Context, order Order) {
	h.log.Printf("order %s -> %s", order.ID, order.Status)
}

func (h *Handler) Slow(w http.ResponseWriter, r *http.Request) {
	go func() {
		time.Sleep(time.Minute)
		h.log.Print("slow work done")
	}()
	w.WriteHeader(http.StatusAccepted)
}

func fetch(ctx context.Context, client *http.Client, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return client.Do(req)
}
