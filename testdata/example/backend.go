package leaky

import (
	"context"
	"time"
)

// Profile is what the backend returns for one user.
type Profile struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Backend looks profiles up.
type Backend interface {
	Profile(ctx context.Context, id string) (Profile, error)
}

// FetchAll gives every lookup its own deadline and releases it as soon as
// the lookup returns. Nothing here is reported.
func FetchAll(ctx context.Context, b Backend, ids []string) ([]Profile, error) {
	profiles := make([]Profile, 0, len(ids))
	for _, id := range ids {
		p, err := fetchOne(ctx, b, id)
		if err != nil {
			return nil, err
		}
		profiles = append(profiles, p)
	}
	return profiles, nil
}

func fetchOne(ctx context.Context, b Backend, id string) (Profile, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return b.Profile(ctx, id)
}
