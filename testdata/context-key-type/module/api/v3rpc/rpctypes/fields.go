// Constants of a package several directories below the module root, in a
// group with a typed one (etcd's rpctypes.TokenFieldNameGRPC on the Debian
// corpus).
package rpctypes

type fieldName string

const (
	TokenFieldNameGRPC    = "token"
	TokenFieldNameSwagger = "authorization"

	MetadataRequireLeaderKey fieldName = "hasleader"
)
