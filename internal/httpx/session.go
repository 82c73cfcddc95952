package httpx

import (
	"net/http"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// Session reads the session cookie: the person it names, their session and
// the cookie's secret. No cookie, or one that names no live session, is the
// public (and a nil session) — the answer never says whether the session
// ever existed. What a session whose password must be changed may do is
// each face's rule.
func Session(r *http.Request, svc *service.Service, pol service.SessionPolicy) (service.Actor, *service.SessionState, string, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return service.Anonymous, nil, "", nil
	}
	a, st, err := svc.SessionActor(r.Context(), c.Value, pol)
	if domain.IsKind(err, domain.KindUnauthorized) {
		return service.Anonymous, nil, "", nil
	}
	if err != nil {
		return service.Anonymous, nil, "", err
	}
	return a, st, c.Value, nil
}

// Bearer authenticates the request's Authorization header, when it has
// one (sent reports whether it has). A header that is not a bearer token,
// or a token that is not live, is refused outright (401).
func Bearer(r *http.Request, svc *service.Service) (a service.Actor, sent bool, err error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return service.Anonymous, false, nil
	}
	scheme, secret, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return service.Anonymous, true, domain.Unauthorized()
	}
	a, err = svc.Authenticate(r.Context(), strings.TrimSpace(secret))
	return a, true, err
}
