// A parameter or local named context hides the context package inside its scope.
package shadowkeys

import "context"

type valueStore struct{ values map[any]any }

func (s valueStore) WithValue(parent context.Context, key, val any) context.Context {
	s.values[key] = val
	return parent
}

func viaParameter(ctx context.Context, context valueStore) {
	_ = context.WithValue(ctx, "user", 1)
}

func viaLocal(ctx context.Context) context.Context {
	{
		context := valueStore{values: map[any]any{}}
		_ = context.WithValue(ctx, "user", 1)
	}
	return context.WithValue(ctx, "user", 1) // want `key has built-in type string`
}
