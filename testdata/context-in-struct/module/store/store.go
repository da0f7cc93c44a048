// An interface of another package of the same module: the module index
// knows its methods take no context.
package store

type Compactor interface {
	Compact() error
	Pending() int
}

type Table interface {
	Get(key string) ([]byte, error)
	Close() error
}
