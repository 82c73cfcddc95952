package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
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

// as fetches path as the signed-in name ("" for the public), in lang.
func (se *staffEnv) as(t testing.TB, name, path, lang string) resp {
	t.Helper()
	h := http.Header{}
	if name != "" {
		h.Set("Cookie", "pishran_session="+se.SignIn(name))
	}
	if lang != "" {
		u, _ := url.Parse(path)
		q := u.Query()
		q.Set("lang", lang)
		u.RawQuery = q.Encode()
		path = u.String()
	}
	return se.do(http.MethodGet, path, h)
}

// post sends a form as name ("" for the public), from this site unless
// header says otherwise.
func (se *staffEnv) post(t testing.TB, name, path string, form url.Values, header http.Header) resp {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, se.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", se.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if name != "" {
		req.Header.Set("Cookie", "pishran_session="+se.SignIn(name))
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp{res, b}
}

// redirectTo asserts r is a 303 to a location starting with want.
func redirectTo(t testing.TB, r resp, want string) {
	t.Helper()
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), want) {
		t.Fatalf("%s %s: %d to %q, want 303 to %s…\n%s", r.Request.Method, r.Request.URL, r.StatusCode, r.Header.Get("Location"), want, clip(r.text()))
	}
}

func clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}
