package api_test

// Helpers for api_test.go. Every name here starts with "at" so that it does
// not clash with the helpers of the other test files of this package.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/reference"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// atEngines runs fn once per database engine, as a subtest named after it.
func atEngines(t *testing.T, fn func(t *testing.T, e testkit.Engine)) {
	t.Helper()
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, e) })
	}
}

// atLog collects the server's log, so that a failing request can show why.
type atLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *atLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *atLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// atEnv is a running API server over a fresh database, with a secretariat
// token.
type atEnv struct {
	t      *testing.T
	ctx    context.Context
	db     *store.DB
	svc    *service.Service
	srv    *api.Server
	ts     *httptest.Server
	log    *atLog
	secret string // a secretariat token
}

// atServe starts an API server over db and returns its environment; the
// server is closed when t ends.
func atServe(t *testing.T, db *store.DB) *atEnv {
	t.Helper()
	env := &atEnv{t: t, ctx: context.Background(), db: db, log: &atLog{}}
	env.svc = service.New(db, slog.New(slog.DiscardHandler))
	env.srv = api.New(env.svc, slog.New(slog.NewTextHandler(env.log, nil)))
	env.ts = httptest.NewServer(env.srv)
	t.Cleanup(env.ts.Close)
	var err error
	env.secret, err = env.svc.CreateToken(env.ctx, service.RoleSecretariat, "sec", "")
	if err != nil {
		t.Fatalf("secretariat token: %v", err)
	}
	return env
}

// atNew is atServe over a fresh database on engine e.
func atNew(t *testing.T, e testkit.Engine) *atEnv {
	t.Helper()
	return atServe(t, testkit.Open(t, e))
}

// atNewRef is atNew with the reference dataset loaded.
func atNewRef(t *testing.T, e testkit.Engine) *atEnv {
	t.Helper()
	env := atNew(t, e)
	doc, err := reference.Document()
	if err != nil {
		t.Fatal(err)
	}
	if err := env.svc.Import(env.ctx, service.System, doc); err != nil {
		t.Fatalf("import reference: %v", err)
	}
	return env
}

// token makes a token of the role; agency is needed for the agency role.
func (env *atEnv) token(role service.Role, agency string) string {
	env.t.Helper()
	s, err := env.svc.CreateToken(env.ctx, role, "t-"+string(role)+"-"+agency, agency)
	if err != nil {
		env.t.Fatalf("token %s %s: %v", role, agency, err)
	}
	return s
}

// atResp is an answer from the server.
type atResp struct {
	Method, Path string
	Status       int
	Header       http.Header
	Body         []byte
}

func (r *atResp) String() string {
	return r.Method + " " + r.Path + ": " + http.StatusText(r.Status) + " " + string(r.Body)
}

// atReq is a request; Body is sent as is when it is []byte or string, and
// as JSON otherwise (nil: no body).
type atReq struct {
	Method, Path string
	Token        string
	Body         any
	Header       map[string]string
}

// send sends a request. A JSON content type is set whenever there is a
// body, unless the request sets its own.
func (env *atEnv) send(rq atReq) *atResp {
	env.t.Helper()
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
			env.t.Fatalf("marshal request body: %v", err)
		}
		body = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(env.ctx, rq.Method, env.ts.URL+rq.Path, body)
	if err != nil {
		env.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if rq.Token != "" {
		req.Header.Set("Authorization", "Bearer "+rq.Token)
	}
	for k, v := range rq.Header {
		req.Header.Set(k, v)
	}
	res, err := env.ts.Client().Do(req)
	if err != nil {
		env.t.Fatalf("%s %s: %v", rq.Method, rq.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		env.t.Fatalf("%s %s: read body: %v", rq.Method, rq.Path, err)
	}
	r := &atResp{Method: rq.Method, Path: rq.Path, Status: res.StatusCode, Header: res.Header, Body: b}
	if r.Status >= 500 {
		env.t.Errorf("server error: %s\nserver log:\n%s", r, env.log)
	}
	return r
}

func (env *atEnv) get(path, token string) *atResp {
	env.t.Helper()
	return env.send(atReq{Method: "GET", Path: path, Token: token})
}

func (env *atEnv) post(path, token string, body any) *atResp {
	env.t.Helper()
	return env.send(atReq{Method: "POST", Path: path, Token: token, Body: body})
}

func (env *atEnv) put(path, token, etag string, body any) *atResp {
	env.t.Helper()
	h := map[string]string{}
	if etag != "" {
		h["If-Match"] = etag
	}
	return env.send(atReq{Method: "PUT", Path: path, Token: token, Body: body, Header: h})
}

func (env *atEnv) del(path, token, etag string) *atResp {
	env.t.Helper()
	h := map[string]string{}
	if etag != "" {
		h["If-Match"] = etag
	}
	return env.send(atReq{Method: "DELETE", Path: path, Token: token, Header: h})
}

// must checks the status and returns the answer.
func (env *atEnv) must(r *atResp, status int) *atResp {
	env.t.Helper()
	if r.Status != status {
		env.t.Fatalf("want %d, got %s", status, r)
	}
	return r
}

// create POSTs a record as the secretariat and requires 201.
func (env *atEnv) create(path string, body any) map[string]any {
	env.t.Helper()
	return atObj(env.t, env.must(env.post(path, env.secret, body), http.StatusCreated))
}

// etagOf GETs a record as the secretariat and returns its ETag.
func (env *atEnv) etagOf(path string) string {
	env.t.Helper()
	r := env.must(env.get(path, env.secret), http.StatusOK)
	return r.Header.Get("ETag")
}

// atObj decodes a JSON object answer.
func atObj(t *testing.T, r *atResp) map[string]any {
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

// atProblem checks that r is a problem+json answer with the status and
// returns it.
func atProblem(t *testing.T, r *atResp, status int) api.Problem {
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

// atField checks that a problem names the field, both in its field member
// and in its errors list.
func atField(t *testing.T, r *atResp, status int, field string) api.Problem {
	t.Helper()
	p := atProblem(t, r, status)
	if p.Field != field {
		t.Fatalf("%s: field %q, want %q", r, p.Field, field)
	}
	if len(p.Errors) != 1 || p.Errors[0].Field != field {
		t.Fatalf("%s: errors %+v, want one naming %q", r, p.Errors, field)
	}
	return p
}

// atRules returns the rule ids of a refused designation, in order.
func atRules(p api.Problem) []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Rule)
	}
	return out
}

// atPath walks a decoded JSON value: keys for objects, ints for arrays.
func atPath(t *testing.T, v any, path ...any) any {
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

// atItems returns the "items" array of a list answer.
func atItems(t *testing.T, m map[string]any) []map[string]any {
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

var atETag = regexp.MustCompile(`^"v([0-9]+)-[0-9a-f]{16}"$`)

// atText is a {fa, en} pair as JSON decodes it.
func atText(fa, en string) map[string]any { return map[string]any{"fa": fa, "en": en} }
