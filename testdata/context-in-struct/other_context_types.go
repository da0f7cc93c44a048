// Types named Context from other packages are not context.Context; the analysis follows
// the import path, not the spelling.
package others

import (
	"context"

	"github.com/gin-gonic/gin"
)

type route struct {
	c       *gin.Context
	handler func(*gin.Context)
	// A plain field whose type name ends in Context but is a local type.
	conf requestContext
}

type requestContext struct {
	path string
}

var _ = route{}
var _ = context.Background
