package api

import (
	"net/http"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
)

// signingRoutes serves the public keys that let anyone check a signed
// document offline. The verification page itself, which a reader reaches
// by a document's code, is one of the site's (package web).
func (s *Server) signingRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/signing/keys", func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
			keys, err := s.svc.PublicKeys(r.Context())
			if err != nil {
				return err
			}
			return writeJSON(w, r, http.StatusOK, keys, 0)
		}},
	}
}

// baseURL is the server's address in the links it hands out to be used
// elsewhere (a verification address, printed or scanned from a QR code):
// the public URL (serve --public-url) when set, else the scheme and host
// the request came to.
func (s *Server) baseURL(r *http.Request) string {
	return httpx.BaseURL(s.auth.cfg.PublicURL, r, r.TLS != nil)
}

// locateMeeting sets the verification addresses of a meeting's minutes and
// decisions.
func (s *Server) locateMeeting(r *http.Request, m *domain.Meeting) {
	base := s.baseURL(r)
	m.Locate(base)
	for i := range m.Outcomes {
		m.Outcomes[i].Locate(base)
	}
}
