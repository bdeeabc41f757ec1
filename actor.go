package skillarena

import "context"

// Actor is the signed-in user on whose behalf a request runs, with the address
// it came from; the audit trail records both.
type Actor struct {
	UserID   int64
	Username string
	IP       string
}

type actorKey struct{}

// WithActor returns a context carrying the acting user.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the acting user of ctx, and false when there is none
// (a system job or an anonymous request).
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

// ActorID returns the acting user's id, or 0 for a system job.
func ActorID(ctx context.Context) int64 {
	a, _ := ActorFrom(ctx)
	return a.UserID
}
