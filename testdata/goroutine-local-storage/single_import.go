// An import declaration without parentheses.
package single

import "github.com/petermattis/goid" // want `import of github\.com/petermattis/goid, a library that gives goroutines IDs`

func current() int64 { return goid.Get() }
