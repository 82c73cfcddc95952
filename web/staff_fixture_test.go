package web_test

import (
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

// staffEnv is the staff workspace's scenario (scenario.Staff, over the
// reference dataset), served with the API and the site together.
type staffEnv struct {
	*env
	*scenario.Staff
}

func newStaffEnv(t testing.TB, e testkit.Engine) *staffEnv {
	t.Helper()
	sc := scenario.New(t, e, scenario.Reference())
	srv := serve(t, sc) // before the records, as pishran serve starts before anyone writes
	return &staffEnv{env: srv, Staff: sc.Staff()}
}
