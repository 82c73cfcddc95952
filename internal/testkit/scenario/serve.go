package scenario

import (
	"net/http"
	"net/http/httptest"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/faces"
	"github.com/pishran/pishran/web"
)

// ServeOption chooses what Serve mounts and how.
type ServeOption func(*serveConfig)

type serveConfig struct {
	auth     *api.AuthConfig
	authAt   func(url string) (api.AuthConfig, error)
	site     web.Options
	apiOnly  bool
	siteOnly bool
	tls      bool
}

// Auth configures the API's sign-in (api.Server.ConfigureAuth).
func Auth(c api.AuthConfig) ServeOption { return func(s *serveConfig) { s.auth = &c } }

// AuthAt configures the API's sign-in from the server's own URL, known
// before it starts: an OpenID Connect redirect names it.
func AuthAt(fn func(url string) (api.AuthConfig, error)) ServeOption {
	return func(s *serveConfig) { s.authAt = fn }
}

// Site sets the site's options (default: the zero web.Options).
func Site(o web.Options) ServeOption { return func(s *serveConfig) { s.site = o } }

// APIOnly serves the JSON API alone, without the pages.
func APIOnly() ServeOption { return func(s *serveConfig) { s.apiOnly = true } }

// SiteOnly serves the pages alone (web.Site.Handler), without the API.
func SiteOnly() ServeOption { return func(s *serveConfig) { s.siteOnly = true } }

// TLS serves over TLS (httptest's certificate, which the server's client
// trusts): what a browser sees of an https deployment.
func TLS() ServeOption { return func(s *serveConfig) { s.tls = true } }

// Serve starts an HTTP server over the Env's service, closed when the test
// ends: the API and the site mounted together, as `pishran serve` runs
// them, unless an option says otherwise. Both log to env.Log.
func (env *Env) Serve(opts ...ServeOption) *Server {
	env.T.Helper()
	var c serveConfig
	for _, o := range opts {
		o(&c)
	}
	ts := httptest.NewUnstartedServer(nil)
	env.T.Cleanup(ts.Close)
	if c.authAt != nil {
		scheme := "http://"
		if c.tls {
			scheme = "https://"
		}
		a, err := c.authAt(scheme + ts.Listener.Addr().String())
		if err != nil {
			env.T.Fatalf("serve: %v", err)
		}
		c.auth = &a
	}
	h, a, err := rootHandler(env, c)
	if err != nil {
		env.T.Fatalf("serve: %v", err)
	}
	ts.Config.Handler = h
	if c.tls {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	// The client asks for answers as they are (no Accept-Encoding), so
	// tests read the ETags the handlers make; the compression of answers
	// (httpx.Compress) is tested on its own and by the browser tests.
	client.Transport.(*http.Transport).DisableCompression = true
	return &Server{URL: ts.URL, Handler: h, API: a, Env: env, ts: ts, client: client}
}

// rootHandler builds the one handler both faces answer on, as `pishran
// serve` does (internal/faces), unless the test asks for one face alone.
func rootHandler(env *Env, c serveConfig) (http.Handler, *api.Server, error) {
	log := env.Log.Logger()
	if c.siteOnly {
		site, err := web.New(env.Svc, log, c.site)
		if err != nil {
			return nil, nil, err
		}
		return site.Handler(), nil, nil
	}
	if c.apiOnly {
		a := api.New(env.Svc, log)
		if c.auth != nil {
			if err := a.ConfigureAuth(*c.auth); err != nil {
				return nil, nil, err
			}
		}
		return a, a, nil
	}
	// The site's own sign-in limit, when a test sets one, is the root's:
	// one limiter for both faces, as in `pishran serve`.
	auth := api.AuthConfig{LoginBurst: c.site.LoginBurst, LoginRefill: c.site.LoginRefill}
	if c.auth != nil {
		auth = *c.auth
	}
	cfg, oidc := auth.HTTPConfig(), auth.OIDC
	f, err := faces.New(env.Svc, log, cfg, oidc, c.site)
	if err != nil {
		return nil, nil, err
	}
	return f.Root, f.API, nil
}
