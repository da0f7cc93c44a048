// Methods for a context implementation declared in context_wrappers.go.
package wrappers

func (o overlay) Value(key any) any {
	if v := o.extra.Value(key); v != nil {
		return v
	}
	return o.Context.Value(key)
}
