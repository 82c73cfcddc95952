package httpx

import (
	"net"
	"net/http"
	"strings"

	"github.com/pishran/pishran/service"
)

// ClientAddress is the address the request came from: the connection's
// peer. A proxy's forwarding headers are not trusted.
func ClientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Client is who is at the other end, as a sign-in records it.
func Client(r *http.Request) service.Client {
	return service.Client{Address: ClientAddress(r), UserAgent: r.UserAgent()}
}

// Credential names how the request authenticated, without its secret:
// "token", "session" or "anonymous".
func Credential(r *http.Request) string {
	switch {
	case r.Header.Get("Authorization") != "":
		return "token"
	default:
		if _, err := r.Cookie(SessionCookie); err == nil {
			return "session"
		}
	}
	return "anonymous"
}

// BaseURL is the server's address in the links it hands out to be used
// elsewhere (a verification address, a one-time link): the public URL when
// one is set, else the scheme and host the request came to, https when
// https is true.
func BaseURL(public string, r *http.Request, https bool) string {
	if public != "" {
		return strings.TrimSuffix(public, "/")
	}
	scheme := "http"
	if https {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// LinkURL is a one-time link of a kind ("setup", "reset") on BaseURL.
// Tokens are URL-safe, so they go into the path as they are.
func LinkURL(public string, r *http.Request, https bool, kind, token string) string {
	return BaseURL(public, r, https) + "/" + kind + "/" + token
}

// ParseForm reads a posted form of at most max bytes.
func ParseForm(w http.ResponseWriter, r *http.Request, max int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, max)
	return r.ParseForm()
}
