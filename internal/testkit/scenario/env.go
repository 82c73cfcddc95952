package scenario

import (
	"context"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/reference"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// Env is a service over a database, with what a scenario made.
type Env struct {
	T      testing.TB
	Ctx    context.Context
	Engine testkit.Engine
	DB     *store.DB
	Svc    *service.Service
	// Clock is the database's clock, when the scenario set one (At,
	// FollowUp); nil means the real time.
	Clock *testkit.Clock
	// Log holds what the service and the servers Serve starts log.
	Log *testkit.Log

	sessions map[string]string
	ds       *dataset // set for a shared data set (Dataset)
}

// Option chooses how New starts.
type Option func(*config)

type config struct {
	reference bool
	at        *time.Time
	dataset   string
}

// Reference loads the reference dataset.
func Reference() Option { return func(c *config) { c.reference = true } }

// At stands the database's clock still at t, before anything is recorded.
func At(t time.Time) Option { return func(c *config) { c.at = &t } }

// Dataset shares one database holding a named data set — "reference" or
// "national" (the synthetic registry of 10,000 projects) — between every
// benchmark of the process that asks for it: loading takes seconds, the
// operations measured milliseconds. It is SQLite only; the test binary's
// TestMain calls CloseDatasets.
func Dataset(name string) Option { return func(c *config) { c.dataset = name } }

// New is a service over a fresh database on engine e (closed when t ends),
// as the options say.
func New(t testing.TB, e testkit.Engine, opts ...Option) *Env {
	t.Helper()
	var c config
	for _, o := range opts {
		o(&c)
	}
	if c.dataset != "" {
		return shared(t, e, c)
	}
	env := Over(t, testkit.Open(t, e))
	env.Engine = e
	if c.at != nil {
		env.Clock = testkit.NewClock(*c.at).On(env.DB)
	}
	if c.reference {
		env.LoadReference()
	}
	return env
}

// Over is an Env over a database the test opened itself (a second
// instance, a replica, a copy's destination), with a service of its own.
// Its Engine is named after the database's engine and has no DSN: the test
// owns the database, and closes it.
func Over(t testing.TB, db *store.DB) *Env {
	t.Helper()
	log := &testkit.Log{}
	return &Env{T: t, Ctx: context.Background(), Engine: testkit.Engine{Name: string(db.Engine())}, DB: db,
		Svc: service.New(db, log.Logger()), Log: log, sessions: map[string]string{}}
}

// LoadReference imports the reference dataset.
func (env *Env) LoadReference() *Env {
	env.T.Helper()
	doc, err := reference.Document()
	if err != nil {
		env.T.Fatal(err)
	}
	if err := env.Svc.Import(env.Ctx, service.System, doc); err != nil {
		env.T.Fatalf("import reference: %v", err)
	}
	return env
}

// Token makes a token of the role, named after it; agency is needed for
// the agency role.
func (env *Env) Token(role service.Role, agency string) string {
	env.T.Helper()
	s, err := env.Svc.CreateToken(env.Ctx, role, "t-"+string(role)+"-"+agency, agency)
	if err != nil {
		env.T.Fatalf("token %s %s: %v", role, agency, err)
	}
	return s
}

// User makes an active account named name (its display name too) with the
// role, agency and password.
func (env *Env) User(name string, role service.Role, agency, password string) *domain.User {
	env.T.Helper()
	u := &domain.User{Username: name, DisplayName: domain.T(name, name), Role: string(role), Agency: agency, Active: true}
	if _, err := env.Svc.CreateUser(env.Ctx, service.System, u, password); err != nil {
		env.T.Fatalf("create %s: %v", name, err)
	}
	return u
}

// Session signs username in through the service, as the sign-in page does
// (from 127.0.0.1, default session policy), and returns the session
// cookie's value. A name signed in once keeps its session.
func (env *Env) Session(username, password string) string {
	env.T.Helper()
	if s, ok := env.sessions[username]; ok {
		return s
	}
	sess, err := env.Svc.Login(env.Ctx, username, password, service.Client{Address: "127.0.0.1"}, service.SessionPolicy{})
	if err != nil {
		env.T.Fatalf("sign in %s: %v", username, err)
	}
	env.sessions[username] = sess.Secret
	return sess.Secret
}
