// Quick fix for a path leak when the cancel variable escapes (returned,
// passed, stored, used in a function literal): a deferred call would
// cancel the context the caller or the goroutine still uses, so the fix
// calls cancel just before each leaking return instead, and before the
// closing brace for the implicit return.

package fixescape

import (
	"context"
	"errors"
)

var errEmpty = errors.New("empty name")

type registry struct{ stops []context.CancelFunc }

func (r *registry) add(stop context.CancelFunc) { r.stops = append(r.stops, stop) }

// Returned to the caller on success.
func start(parent context.Context, name string) (context.Context, context.CancelFunc, error) {
	ctx, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
	if name == "" {
		return nil, nil, errEmpty // want `defined on line 22$`
	}
	return ctx, cancel, nil
}

// Stored in a registry on one branch; the implicit return leaks.
func watch(parent context.Context, reg *registry, enabled bool) {
	_, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
	if enabled {
		reg.add(cancel)
		return
	}
} // want `defined on line 31$`

// Handed to a goroutine after two checks that both leak (both reported;
// vet reports only the first).
func background(parent context.Context, mode int, work func(context.Context)) error {
	ctx, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
	switch mode {
	case 0:
		return errEmpty // want `defined on line 41$`
	case 1:
		return errors.New("mode 1") // want `defined on line 41$`
	}
	go func() {
		defer cancel()
		work(ctx)
	}()
	return nil
}

// Inside a function literal: the literal's closing brace is its implicit
// return.
func literal(parent context.Context, reg *registry) func(bool) {
	return func(enabled bool) {
		_, cancel := context.WithCancel(parent) // want `^the cancel function is not used on all paths`
		if enabled {
			reg.add(cancel)
		}
	} // want `defined on line 59$`
}
