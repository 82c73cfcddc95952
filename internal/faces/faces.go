// Package faces builds Pishran's one front door: the JSON API (package api)
// and the site (package web) mounted on one internal/httpx.Root, all three
// configured from the same httpx.Config (public URL, trusted origins,
// session lifetimes, the per-address limit on failed sign-ins), so no
// setting can differ between the doors.
//
// `pishran serve` (cmd/pishran) and the tests build the root here, so a
// test serves exactly what the process serves.
package faces

import (
	"fmt"
	"log/slog"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/web"
)

// Front is the root handler and the two faces mounted on it.
type Front struct {
	Root *httpx.Root
	API  *api.Server
	Site *web.Site
}

// New mounts the API and the site on one root configured by cfg. oidc,
// when set, enables single sign-on on both; site gives the pages' own
// options (clock, page cache…): its session, public URL and sign-in limit
// are taken from cfg.
func New(svc *service.Service, log *slog.Logger, cfg httpx.Config, oidc *service.OIDC, site web.Options) (*Front, error) {
	if log == nil {
		log = slog.Default()
	}
	cfg.Log, cfg.Pools = log, svc.Pools
	cfg, err := cfg.Check()
	if err != nil {
		return nil, err
	}
	root, err := httpx.NewRoot(cfg)
	if err != nil {
		return nil, err
	}
	a := api.New(svc, log)
	if err := a.Configure(cfg, oidc); err != nil {
		return nil, err
	}
	site.Session, site.PublicURL, site.LoginLimiter = cfg.Session, cfg.PublicURL, cfg.Limiter
	site.SecureCookies = site.SecureCookies || cfg.HTTPS()
	site.SingleSignOn = site.SingleSignOn || oidc != nil
	s, err := web.New(svc, log, site)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	a.Mount(root)
	s.Mount(root) // the pages beside /api, /healthz and /metrics
	return &Front{Root: root, API: a, Site: s}, nil
}
