// Declarations for sibling_consts.go.
package siblingkeys

type keyType struct{ name string }

const requestKey = "request"

const attemptKey = 1 << 2

var properKey = keyType{"proper"}
