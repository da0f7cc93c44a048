package proxy

import (
	"context"

	"example.com/keymod/api/v3rpc/rpctypes"
)

func withToken(ctx context.Context, token string) (context.Context, context.CancelFunc) {
	ctx = context.WithValue(ctx, rpctypes.TokenFieldNameGRPC, token) // want `built-in type string`
	ctx = context.WithValue(ctx, rpctypes.MetadataRequireLeaderKey, true)
	return context.WithCancel(context.WithValue(ctx, rpctypes.TokenFieldNameSwagger, token)) // want `built-in type string`
}
