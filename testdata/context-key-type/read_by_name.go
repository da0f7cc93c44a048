// Some libraries read context values by name (a struct tag, a template placeholder), so
// the string type of the key is what they require. A string key whose text appears in the
// file delimited like a tag value or placeholder is therefore not reported.
package readbyname

import (
	"context"
	"fmt"
)

type person struct {
	Name string `ctx:"name"`
	Age  int    `ctx:"age,optional"`
}

const template = "[${value:request_id}] ${message}"

func fill(ctx context.Context) context.Context {
	ctx = context.WithValue(ctx, "name", "gopher")
	ctx = context.WithValue(ctx, "age", 13)
	ctx = context.WithValue(ctx, "request_id", "r-1")
	// Mentioned only in prose (delimited by spaces): still reported.
	fmt.Println("the user key is set below")
	return context.WithValue(ctx, "user", "gopher") // want `key has built-in type string`
}

var _ = person{}
var _ = template
