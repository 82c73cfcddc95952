package api_test

// The API's tests set up on the harness (internal/testkit/scenario); what
// is here is only what the API's tests share on top of it.

import (
	"regexp"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

// newAPI serves the API alone over env, its secretariat token made before
// anything else is recorded (the versions and audit entries the tests
// read count from there).
func newAPI(env *scenario.Env, opts ...scenario.ServeOption) *scenario.Server {
	env.T.Helper()
	srv := env.Serve(append(opts, scenario.APIOnly())...)
	srv.Secretariat()
	return srv
}

// atRules returns the rule ids of a refused designation, in order.
func atRules(p api.Problem) []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Rule)
	}
	return out
}

var atETag = regexp.MustCompile(`^"v([0-9]+)-[0-9a-f]{16}"$`)
