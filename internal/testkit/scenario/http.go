package scenario

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/service"
)

// Server is a running HTTP server over an Env, and a client for it that
// does not follow redirects.
type Server struct {
	URL     string
	Handler http.Handler
	// API is the JSON API's server, nil when the pages are served alone
	// (SiteOnly): its routes, for the tests that walk them.
	API *api.Server
	Env *Env

	ts     *httptest.Server
	client *http.Client
	secret string
}

// Client is the server's client; it does not follow redirects.
func (s *Server) Client() *http.Client { return s.client }

// Close stops the server before the test ends (it is closed then anyway):
// what a client sees of a server that went away.
func (s *Server) Close() { s.ts.Close() }

// Request is a request; Body is sent as is when it is []byte or string,
// and as JSON otherwise (nil: no body).
type Request struct {
	Method, Path string
	Token        string // sent as a bearer token
	Session      string // sent as the session cookie
	Body         any
	Header       map[string]string // a header set to "" is not sent
	Host         string            // sent as the Host instead of the server's address
	// ServerError says a 5xx answer is what the test expects; any other
	// 5xx fails the test with the server's log.
	ServerError bool
}

// Response is an answer, its body read.
type Response struct {
	Method, Path string
	// URL is the whole address asked for: the server's and the path.
	URL    string
	Status int
	Header http.Header
	Body   []byte
}

func (r *Response) String() string {
	return r.Method + " " + r.Path + ": " + http.StatusText(r.Status) + " " + string(r.Body)
}

// Text is the body as a string.
func (r *Response) Text() string { return string(r.Body) }

// Parts are the status, the headers and the body as a string.
func (r *Response) Parts() (int, http.Header, string) { return r.Status, r.Header, r.Text() }

// Cookies are the cookies the answer sets.
func (r *Response) Cookies() []*http.Cookie { return (&http.Response{Header: r.Header}).Cookies() }

// Cookie is the cookie the answer sets by that name, or nil.
func (r *Response) Cookie(name string) *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Do sends a request. A JSON content type is set whenever there is a body,
// unless the request sets its own.
func (s *Server) Do(rq Request) *Response {
	t := s.Env.T
	t.Helper()
	var body io.Reader
	switch b := rq.Body.(type) {
	case nil:
	case []byte:
		body = bytes.NewReader(b)
	case string:
		body = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("marshal request body: %v", err)
		}
		body = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(s.Env.Ctx, rq.Method, s.URL+rq.Path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if rq.Host != "" {
		req.Host = rq.Host
	}
	if rq.Token != "" {
		req.Header.Set("Authorization", "Bearer "+rq.Token)
	}
	if rq.Session != "" {
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: rq.Session})
	}
	for k, v := range rq.Header {
		if v == "" {
			req.Header.Del(k) // "" sends none: a browser that sends no such header
			continue
		}
		req.Header.Set(k, v)
	}
	res, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", rq.Method, rq.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", rq.Method, rq.Path, err)
	}
	r := &Response{Method: rq.Method, Path: rq.Path, URL: s.URL + rq.Path, Status: res.StatusCode, Header: res.Header, Body: b}
	if r.Status >= 500 && !rq.ServerError {
		t.Errorf("server error: %s\nserver log:\n%s", r, s.Env.Log)
	}
	return r
}

// Accepting GETs path asking for the media types accept ("" sends no
// Accept).
func (s *Server) Accepting(path, accept string) *Response {
	s.Env.T.Helper()
	return s.Do(Request{Method: "GET", Path: path, Header: map[string]string{"Accept": accept}})
}

// Get GETs path with the token ("" for none).
func (s *Server) Get(path, token string) *Response {
	s.Env.T.Helper()
	return s.Do(Request{Method: "GET", Path: path, Token: token})
}

// Post POSTs body to path with the token.
func (s *Server) Post(path, token string, body any) *Response {
	s.Env.T.Helper()
	return s.Do(Request{Method: "POST", Path: path, Token: token, Body: body})
}

// Put PUTs body to path with the token, and etag as If-Match when set.
func (s *Server) Put(path, token, etag string, body any) *Response {
	s.Env.T.Helper()
	return s.Do(Request{Method: "PUT", Path: path, Token: token, Body: body, Header: ifMatch(etag)})
}

// Del DELETEs path with the token, and etag as If-Match when set.
func (s *Server) Del(path, token, etag string) *Response {
	s.Env.T.Helper()
	return s.Do(Request{Method: "DELETE", Path: path, Token: token, Header: ifMatch(etag)})
}

func ifMatch(etag string) map[string]string {
	h := map[string]string{}
	if etag != "" {
		h["If-Match"] = etag
	}
	return h
}

// Page GETs a page as the session ("" for the public), in lang ("" for
// the default language, else asked for with ?lang=).
func (s *Server) Page(session, path, lang string) *Response {
	s.Env.T.Helper()
	if lang != "" {
		u, _ := url.Parse(path)
		q := u.Query()
		q.Set("lang", lang)
		u.RawQuery = q.Encode()
		path = u.String()
	}
	return s.Do(Request{Method: "GET", Path: path, Session: session})
}

// Form POSTs a form as the session ("" for the public), from the site's
// own origin unless header says otherwise.
func (s *Server) Form(session, path string, form url.Values, header map[string]string) *Response {
	s.Env.T.Helper()
	h := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": s.URL, "Sec-Fetch-Site": "same-origin"}
	for k, v := range header {
		h[k] = v
	}
	return s.Do(Request{Method: "POST", Path: path, Session: session, Body: form.Encode(), Header: h})
}

// Must checks the status and returns the answer.
func (s *Server) Must(r *Response, status int) *Response {
	s.Env.T.Helper()
	if r.Status != status {
		s.Env.T.Fatalf("want %d, got %s", status, r)
	}
	return r
}

// Secretariat is a secretariat token, made on first use.
func (s *Server) Secretariat() string {
	s.Env.T.Helper()
	if s.secret == "" {
		tok, err := s.Env.Svc.CreateToken(s.Env.Ctx, service.RoleSecretariat, "sec", "")
		if err != nil {
			s.Env.T.Fatalf("secretariat token: %v", err)
		}
		s.secret = tok
	}
	return s.secret
}

// Create POSTs a record as the secretariat and requires 201.
func (s *Server) Create(path string, body any) map[string]any {
	s.Env.T.Helper()
	return s.Must(s.Post(path, s.Secretariat(), body), http.StatusCreated).Obj(s.Env.T)
}

// ETagOf GETs a record as the secretariat and returns its ETag.
func (s *Server) ETagOf(path string) string {
	s.Env.T.Helper()
	return s.Must(s.Get(path, s.Secretariat()), http.StatusOK).Header.Get("ETag")
}

// Obj decodes a JSON object answer.
func (r *Response) Obj(t testing.TB) map[string]any {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: Content-Type %q, want application/json", r, ct)
	}
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("%s: decode: %v", r, err)
	}
	return m
}

// Items is the "items" array of a list answer.
func (r *Response) Items(t testing.TB) []map[string]any {
	t.Helper()
	return Items(t, r.Obj(t))
}

// At walks the decoded JSON answer: keys for objects, ints for arrays (the
// package's Path on the body).
func (r *Response) At(t testing.TB, path ...any) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("%s: decode: %v", r, err)
	}
	return Path(t, v, path...)
}

// Problem checks that the answer is a complete problem+json of the status
// and returns it.
func (r *Response) Problem(t testing.TB, status int) api.Problem {
	t.Helper()
	if r.Status != status {
		t.Fatalf("want %d, got %s", status, r)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("%s: Content-Type %q, want application/problem+json", r, ct)
	}
	var p api.Problem
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("%s: decode problem: %v", r, err)
	}
	if p.Status != status {
		t.Fatalf("%s: problem status %d, want %d", r, p.Status, status)
	}
	if p.Title != http.StatusText(status) || !strings.HasPrefix(p.Type, "https://") || p.Message.EN == "" || p.Message.FA == "" {
		t.Fatalf("%s: incomplete problem %+v", r, p)
	}
	return p
}

// Field checks that the answer is a problem naming the field, both in its
// field member and in its errors list.
func (r *Response) Field(t testing.TB, status int, field string) api.Problem {
	t.Helper()
	p := r.Problem(t, status)
	if p.Field != field {
		t.Fatalf("%s: field %q, want %q", r, p.Field, field)
	}
	if len(p.Errors) != 1 || p.Errors[0].Field != field {
		t.Fatalf("%s: errors %+v, want one naming %q", r, p.Errors, field)
	}
	return p
}

// Path walks a decoded JSON value: keys for objects, ints for arrays.
func Path(t testing.TB, v any, path ...any) any {
	t.Helper()
	cur := v
	for i, k := range path {
		switch k := k.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("at %v: %T is not an object", path[:i], cur)
			}
			if cur, ok = m[k]; !ok {
				t.Fatalf("at %v: no key %q in %v", path[:i], k, m)
			}
		case int:
			a, ok := cur.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("at %v: %T has no index %d", path[:i], cur, k)
			}
			cur = a[k]
		}
	}
	return cur
}

// Items is the "items" array of a decoded list answer.
func Items(t testing.TB, m map[string]any) []map[string]any {
	t.Helper()
	raw, ok := m["items"].([]any)
	if !ok {
		t.Fatalf("no items array in %v", m)
	}
	out := make([]map[string]any, len(raw))
	for i, x := range raw {
		out[i] = x.(map[string]any)
	}
	return out
}

// Text is a {fa, en} pair as JSON decodes it.
func Text(fa, en string) map[string]any { return map[string]any{"fa": fa, "en": en} }
