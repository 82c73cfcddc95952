package main

import (
	"fmt"
	"log/slog"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/web"
)

// newHandler builds the process's one root handler: the JSON API and the
// site, two faces mounted on one httpx.Root, all three configured from the
// same cfg (public URL, trusted origins, session lifetimes, the per-address
// limit on failed sign-ins), so no setting can differ between the doors.
// oidc, when set, enables single sign-on; site gives the pages' own
// options (health, follow-up, clock, page cache).
func newHandler(svc *service.Service, log *slog.Logger, cfg httpx.Config, oidc *service.OIDC, site web.Options) (*httpx.Root, error) {
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
	site.SingleSignOn = oidc != nil
	s, err := web.New(svc, log, site)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	a.Mount(root)
	s.Mount(root) // the pages beside /api, /healthz and /metrics
	return root, nil
}
