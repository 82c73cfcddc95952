package api_test

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
)

// TestPublicAnswersNameNoAccount asks every GET route of the API as the
// public, on the wire test's data (records made by tokens of every role and
// an account), and requires that no answer names who recorded anything: no
// account or token name, no recorded_by, added_by or by field. The same
// routes asked by an admin still name them, so the scan can fail.
func TestPublicAnswersNameNoAccount(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env, fill, _ := startWire(t, e)
			// The names of the fixture's tokens and account, and the forms
			// an actor's name takes.
			names := regexp.MustCompile(`token:|user:|oidc:|wire-(admin|sec|ito|reader)\b|"sara"|"(recorded_by|added_by|by)":`)
			staffSaw := 0
			for _, p := range slices.Sorted(maps.Keys(wirePaths)) {
				for _, c := range wirePaths[p] {
					if c.as != "" {
						continue
					}
					c.path = fill.Replace(c.path)
					if c.path == "/api/v1/openapi.json" { // the document names the fields it describes
						continue
					}
					rec := env.do(c)
					if m := names.FindString(rec.Body.String()); m != "" {
						t.Errorf("GET %s as the public (%d) names %q:\n%.600s", c.path, rec.Code, m, rec.Body)
					}
					c.as = "admin"
					if adm := env.do(c); adm.Code == http.StatusOK && names.MatchString(adm.Body.String()) {
						staffSaw++
					}
				}
			}
			if staffSaw < 5 {
				t.Errorf("only %d answers to an admin name who recorded what: the scan finds nothing to find", staffSaw)
			}
		})
	}
}
