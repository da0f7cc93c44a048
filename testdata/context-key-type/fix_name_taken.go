// The natural name userKey is already taken in this file, so the fix picks another one.
package fixtaken

import "context" // the key type goes after this line's comment

var userKey = "legacy"

func withUser(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, "user", name) // want `key has built-in type string`
}

func user(ctx context.Context) (string, bool) {
	name, ok := ctx.Value("user").(string)
	return name, ok
}
