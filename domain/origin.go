package domain

import "context"

// Origin says where a write came from: who, and through what (an address,
// a token, a session). The service puts it in the context of every write.
type Origin struct {
	Actor   string // "token:ops", "user:maryam", "system"
	Address string // the client's address, if the write came over HTTP
	Via     string // "token 12", "session", "cli"
}

type originKey struct{}

// WithOrigin returns a context carrying the origin of the writes made in it.
func WithOrigin(ctx context.Context, o Origin) context.Context {
	return context.WithValue(ctx, originKey{}, o)
}

// OriginOf returns the origin carried by ctx.
func OriginOf(ctx context.Context) Origin {
	o, _ := ctx.Value(originKey{}).(Origin)
	if o.Actor == "" {
		o.Actor = "system"
	}
	return o
}
