package web_test

// What the site's tests share: the server over the reference dataset,
// served by the harness (internal/testkit/scenario), whose client reads the
// pages and checks what every page passes (Response.CheckPage).

import (
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// The reference dataset's one confidential project: nothing of it may
// reach a public page or file.
var confidential = []string{"anti-smuggling", "Anti-smuggling system", "سامانه مبارزه با قاچاق"}

// env is a server with the API and the site mounted together, as `pishran
// serve` runs them, over the reference dataset (scenario.Serve).
type env struct {
	*scenario.Server
	t   testing.TB
	svc *service.Service
}

func newEnv(t testing.TB, e testkit.Engine) *env {
	t.Helper()
	return serve(t, scenario.New(t, e, scenario.Reference()))
}

// serve serves sc's service with the options (default: the API and the
// site together, the site's options zero).
func serve(t testing.TB, sc *scenario.Env, opts ...scenario.ServeOption) *env {
	t.Helper()
	return &env{Server: sc.Serve(opts...), t: t, svc: sc.Svc}
}

// pages are the public pages every test walks.
var pages = []string{
	"/",
	"/programs/gov12-egov-priority",
	"/programs/gov13-smart-driving",
	"/projects/e-health",
	"/projects/smart-health",
	"/projects/e-banking",
	"/projects/nix",
	"/compare",
	"/compare?from=gov12-egov-priority&to=gov13-smart-driving",
	"/compare?from=gov13-smart-driving&to=gov12-egov-priority",
	"/data",
	"/data/dictionary",
	"/projects",
	"/projects?program=gov12-egov-priority&kind=infrastructure",
	"/agencies",
	"/agencies/ito",
}
