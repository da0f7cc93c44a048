// Keys declared in one package of the module and used by another: the
// module index knows their types without type checking.
package keys

const UserKey = "user"

const (
	TenantKey = "tenant"
	Attempt   = 1
)

var TraceKey = "trace"

type typedKey int

const RequestKey typedKey = 0

type Labels struct {
	Names []string
}
