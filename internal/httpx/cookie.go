package httpx

import "net/http"

// SessionCookie is the name of the cookie that carries a session's secret.
// The API and the pages share it: signing in on either is signing in on
// both.
const SessionCookie = "pishran_session"

// SetSession sets the session cookie: HttpOnly (no script reads it),
// SameSite=Lax (not sent on cross-site posts), Path=/, Secure when served
// over https, and no expiry (it ends with the browser; the server ends it
// sooner, after the idle or absolute limit). The answer is not to be kept
// by any cache.
func SetSession(w http.ResponseWriter, secret string, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true,
		Secure: secure, SameSite: http.SameSiteLaxMode})
	w.Header().Set("Cache-Control", "no-store")
}

// ClearSession removes the session cookie.
func ClearSession(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: secure, SameSite: http.SameSiteLaxMode})
}

// SessionSecret is the session cookie's value; "" without one.
func SessionSecret(r *http.Request) string {
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}
