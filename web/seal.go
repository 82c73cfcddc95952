package web

import (
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/seal"
)

// Every signed record a page shows (a decision, a meeting's minutes, an
// accepted report) shows how to check it: its verification code, the
// verification page's address on the server's public URL, and a QR code of
// that address, drawn by the verification page's own route
// (/verify/{code}/qr.svg) as an image: no script, nothing from another
// origin, and the same drawing a printout carries.

// sealLink is what the "seal" template shows.
type sealLink struct {
	Code string
	URL  string // absolute: it is read off paper and scanned
	QR   string // the QR code's image, on this site
}

// sealOf is the seal of a record published under code, with addresses on
// base; nil when the record has not been published.
func sealOf(base, code string) *sealLink {
	if code == "" {
		return nil
	}
	return &sealLink{Code: code, URL: seal.URL(base, code), QR: seal.QRPath(code)}
}

// baseURL is the server's address for links the pages hand out: the
// public URL (serve --public-url) when set, else the scheme and host the
// request came to (which the page cache then keys on, see fromCache).
func (s *Site) baseURL(q *req) string {
	return httpx.BaseURL(s.publicURL(), q.Request, s.secure(q.Request))
}
