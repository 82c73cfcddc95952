package service_test

import (
	"errors"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// accountsEnv is the accounts tests' scenario: a clock the test moves,
// standing at 2025-03-01 09:00 UTC, an agency moh and an admin "root".
func accountsEnv(t *testing.T, e testkit.Engine) *scenario.Env {
	t.Helper()
	env := scenario.New(t, e, scenario.At(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)))
	testkit.Must(t, env.Svc.CreateAgency(env.Ctx, service.System, &domain.Agency{Code: "moh", Name: domain.T("وزارت بهداشت", "Ministry of Health"), Kind: domain.AgencyMinistry}))
	env.User("root", service.RoleAdmin, "", "root password 123")
	return env
}

var cl = service.Client{Address: "192.0.2.1", UserAgent: "test"}

func TestPasswordHash(t *testing.T) {
	h1, err := service.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := service.HashPassword("correct horse battery")
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !phc.MatchString(h1) {
		t.Errorf("hash %q is not an argon2id PHC string with the expected parameters", h1)
	}
	if h1 == h2 {
		t.Error("two hashes of one password are equal: the salt is not per hash")
	}
	if !service.VerifyPassword(h1, "correct horse battery") || !service.VerifyPassword(h2, "correct horse battery") {
		t.Error("the right password does not verify")
	}
	if service.VerifyPassword(h1, "correct horse batterz") {
		t.Error("a wrong password verifies")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaA", strings.Replace(h1, "m=65536", "m=99999999", 1),
		strings.Replace(h1, "v=19", "v=16", 1), h1[:len(h1)-10]} {
		if service.VerifyPassword(bad, "correct horse battery") {
			t.Errorf("malformed hash %q verifies", bad)
		}
	}
}

func TestAccountsCreate(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := accountsEnv(t, e)
		svc, ctx := env.Svc, env.Ctx
		mk := func(a service.Actor, u domain.User, pw string) error {
			_, err := svc.CreateUser(ctx, a, &u, pw)
			return err
		}
		good := domain.User{Username: "maryam", DisplayName: domain.T("مریم", "Maryam"), Role: "secretariat", Active: true}
		testkit.CheckKind(t, "anonymous", mk(service.Anonymous, good, "a good long password"), domain.KindUnauthorized, "")
		testkit.CheckKind(t, "secretariat", mk(service.Actor{Name: "token:s", Role: service.RoleSecretariat}, good, "a good long password"), domain.KindForbidden, "")
		bad := good
		bad.Username = "Maryam!"
		testkit.CheckKind(t, "bad username", mk(service.System, bad, ""), domain.KindInvalid, "username")
		bad = good
		bad.DisplayName = domain.Text{}
		testkit.CheckKind(t, "no display name", mk(service.System, bad, ""), domain.KindInvalid, "display_name")
		bad = good
		bad.Email = "not-an-address"
		testkit.CheckKind(t, "bad email", mk(service.System, bad, ""), domain.KindInvalid, "email")
		bad = good
		bad.Role = "king"
		testkit.CheckKind(t, "bad role", mk(service.System, bad, ""), domain.KindInvalid, "role")
		bad = good
		bad.Role = "agency"
		testkit.CheckKind(t, "agency without code", mk(service.System, bad, ""), domain.KindInvalid, "agency")
		bad.Agency = "nope"
		testkit.CheckKind(t, "unknown agency", mk(service.System, bad, ""), domain.KindInvalid, "agency")
		testkit.CheckKind(t, "short password", mk(service.System, good, "short pass"), domain.KindInvalid, "password")
		testkit.CheckKind(t, "password = username", mk(service.System, domain.User{Username: "averylongname", DisplayName: good.DisplayName, Role: "reader"}, "AveryLongName"), domain.KindInvalid, "password")

		link, err := svc.CreateUser(ctx, service.System, &good, "")
		if err != nil {
			t.Fatal(err)
		}
		if link == nil || len(link.Token) != 43 {
			t.Fatalf("an account without a password gets a link to set it, got %+v", link)
		}
		if good.HasPassword || good.Version != 1 {
			t.Errorf("created user = %+v", good)
		}
		testkit.CheckKind(t, "duplicate", mk(service.System, good, ""), domain.KindConflict, "username")
		if _, err := svc.Login(ctx, "maryam", "anything at all", cl, service.DefaultSessionPolicy); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("login to an account without a password: %v", err)
		}
		if _, err := svc.ResetPassword(ctx, link.Token, "maryam's new password", cl, service.DefaultSessionPolicy); err != nil {
			t.Fatalf("set the password with the link: %v", err)
		}
		if _, err := svc.Login(ctx, "maryam", "maryam's new password", cl, service.DefaultSessionPolicy); err != nil {
			t.Errorf("login with the password set through the link: %v", err)
		}
		us, err := svc.Users(ctx, service.System, domain.Page{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range us {
			names = append(names, u.Username)
		}
		if strings.Join(names, ",") != "maryam,root" {
			t.Errorf("users = %v", names)
		}
		if _, err := svc.Users(ctx, service.Actor{Name: "user:maryam", Role: service.RoleSecretariat}, domain.Page{}); !domain.IsKind(err, domain.KindForbidden) {
			t.Errorf("a secretariat listing accounts: %v", err)
		}
		// One's own account is readable; another's is not even there.
		if u, err := svc.User(ctx, service.Actor{Name: "user:maryam", Role: service.RoleSecretariat}, "maryam"); err != nil || u.Username != "maryam" {
			t.Errorf("own account: %v %v", u, err)
		}
		if _, err := svc.User(ctx, service.Actor{Name: "user:maryam", Role: service.RoleSecretariat}, "root"); !domain.IsKind(err, domain.KindNotFound) {
			t.Errorf("another's account: %v", err)
		}
	})
}

func TestAccountsLoginAndSession(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := accountsEnv(t, e)
		svc, clk, ctx := env.Svc, env.Clock, env.Ctx
		env.User("focal", service.RoleAgency, "moh", "focal point password")
		pol := service.SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}
		sess, err := svc.Login(ctx, "focal", "focal point password", cl, pol)
		if err != nil {
			t.Fatal(err)
		}
		if len(sess.Secret) != 43 || sess.User.Username != "focal" || !sess.Expires.Equal(clk.Now().Add(12*time.Hour)) {
			t.Errorf("session = %+v", sess)
		}
		a, st, err := svc.SessionActor(ctx, sess.Secret, pol)
		if err != nil {
			t.Fatal(err)
		}
		if a != (service.Actor{Name: "user:focal", Role: service.RoleAgency, Agency: "moh"}) || st.Via != "password" {
			t.Errorf("actor = %+v, state = %+v", a, st)
		}
		for _, bad := range []string{"", "short", strings.Repeat("A", 43), sess.Secret[:42] + "x"} {
			if _, _, err := svc.SessionActor(ctx, bad, pol); !domain.IsKind(err, domain.KindUnauthorized) {
				t.Errorf("secret %q: %v", bad, err)
			}
		}
		// Idle: a request every 20 minutes keeps it alive; 31 minutes of
		// silence ends it.
		for range 3 {
			clk.Advance(20 * time.Minute)
			if _, _, err := svc.SessionActor(ctx, sess.Secret, pol); err != nil {
				t.Fatalf("after 20 idle minutes: %v", err)
			}
		}
		clk.Advance(31 * time.Minute)
		if _, _, err := svc.SessionActor(ctx, sess.Secret, pol); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("after 31 idle minutes: %v", err)
		}
		// Absolute: 12 hours whatever the activity.
		sess, _ = svc.Login(ctx, "focal", "focal point password", cl, pol)
		for i := 0; i < 35; i++ {
			clk.Advance(20 * time.Minute)
			if _, _, err := svc.SessionActor(ctx, sess.Secret, pol); err != nil {
				t.Fatalf("at %v: %v", time.Duration(i+1)*20*time.Minute, err)
			}
		}
		clk.Advance(20 * time.Minute) // 12 h
		if _, _, err := svc.SessionActor(ctx, sess.Secret, pol); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("after 12 hours: %v", err)
		}
		// Logout ends one session; the other stays.
		s1, _ := svc.Login(ctx, "focal", "focal point password", cl, pol)
		s2, _ := svc.Login(ctx, "focal", "focal point password", cl, pol)
		if err := svc.Logout(ctx, s1.Secret); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SessionActor(ctx, s1.Secret, pol); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("after logout: %v", err)
		}
		if _, _, err := svc.SessionActor(ctx, s2.Secret, pol); err != nil {
			t.Errorf("the other session after logout: %v", err)
		}
		// Log out everywhere.
		s3, _ := svc.Login(ctx, "focal", "focal point password", cl, pol)
		n, err := svc.RevokeSessions(ctx, a)
		if err != nil || n != 2 {
			t.Errorf("revoke all: %d %v", n, err)
		}
		for _, s := range []*service.Session{s2, s3} {
			if _, _, err := svc.SessionActor(ctx, s.Secret, pol); !domain.IsKind(err, domain.KindUnauthorized) {
				t.Errorf("after revoke all: %v", err)
			}
		}
		if _, err := svc.RevokeSessions(ctx, service.Actor{Name: "token:x", Role: service.RoleAdmin}); !domain.IsKind(err, domain.KindInvalid) {
			t.Errorf("revoke all with a token: %v", err)
		}
	})
}

func TestAccountsLockout(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := accountsEnv(t, e)
		svc, clk, ctx := env.Svc, env.Clock, env.Ctx
		env.User("reza", service.RoleReader, "", "reza's password!")
		pol := service.DefaultSessionPolicy
		for i := 1; i <= 9; i++ {
			if _, err := svc.Login(ctx, "reza", "wrong password "+string(rune('a'+i)), cl, pol); !domain.IsKind(err, domain.KindUnauthorized) {
				t.Fatalf("failure %d: %v", i, err)
			}
			clk.Advance(time.Minute)
		}
		var lo *domain.LockedOut
		if _, err := svc.Login(ctx, "reza", "wrong again, tenth", cl, pol); !errors.As(err, &lo) || !lo.Account || lo.RetryAfter != 15*time.Minute {
			t.Fatalf("tenth failure: %v", err)
		}
		// Locked: the right password gets the same answer as a wrong one.
		clk.Advance(5 * time.Minute)
		_, errRight := svc.Login(ctx, "reza", "reza's password!", cl, pol)
		_, errWrong := svc.Login(ctx, "reza", "still wrong pass", cl, pol)
		if !errors.As(errRight, &lo) || lo.RetryAfter != 10*time.Minute || errRight.Error() != errWrong.Error() {
			t.Errorf("while locked: right → %v, wrong → %v", errRight, errWrong)
		}
		clk.Advance(10 * time.Minute)
		if _, err := svc.Login(ctx, "reza", "reza's password!", cl, pol); err != nil {
			t.Errorf("after the lock: %v", err)
		}
		// Failures spread over more than the window do not lock.
		for i := 0; i < 12; i++ {
			if _, err := svc.Login(ctx, "reza", "slow wrong guess", cl, pol); !domain.IsKind(err, domain.KindUnauthorized) {
				t.Fatalf("slow failure %d: %v", i, err)
			}
			clk.Advance(2 * time.Minute)
		}
		// A success forgets the failures.
		if _, err := svc.Login(ctx, "reza", "reza's password!", cl, pol); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAccountsUnknownUserTiming: an unknown username costs as much as a
// wrong password (the dummy hash), so timing does not tell which exist.
func TestAccountsUnknownUserTiming(t *testing.T) {
	env := accountsEnv(t, testkit.Engines()[0])
	svc, ctx := env.Svc, env.Ctx
	// The two are measured in turns, so a burst of other work on the
	// machine slows both alike rather than one of them.
	var ks, us []time.Duration
	for range 7 {
		for _, user := range []string{"root", "nobody-here"} {
			start := time.Now()
			svc.Login(ctx, user, "wrong password here", cl, service.DefaultSessionPolicy)
			if user == "root" {
				ks = append(ks, time.Since(start))
			} else {
				us = append(us, time.Since(start))
			}
		}
	}
	median := func(ds []time.Duration) time.Duration {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2]
	}
	known, unknown := median(ks), median(us)
	if unknown < known/2 || unknown > known*2 {
		t.Errorf("median sign-in time: known user %v, unknown user %v; want them alike", known, unknown)
	}
}

func TestAccountsPasswordChangeAndReset(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := accountsEnv(t, e)
		svc, ctx := env.Svc, env.Ctx
		env.User("sara", service.RoleSecretariat, "", "sara's first password")
		pol := service.DefaultSessionPolicy
		here, _ := svc.Login(ctx, "sara", "sara's first password", cl, pol)
		there, _ := svc.Login(ctx, "sara", "sara's first password", cl, pol)
		a := service.Actor{Name: "user:sara", Role: service.RoleSecretariat}
		testkit.CheckKind(t, "wrong current", svc.ChangePassword(ctx, a, "not my password", "sara's second password", here.Secret), domain.KindInvalid, "current_password")
		testkit.CheckKind(t, "short new", svc.ChangePassword(ctx, a, "sara's first password", "short", here.Secret), domain.KindInvalid, "new_password")
		testkit.CheckKind(t, "username as new", svc.ChangePassword(ctx, a, "sara's first password", "SARA", here.Secret), domain.KindInvalid, "new_password")
		if err := svc.ChangePassword(ctx, a, "sara's first password", "sara's second password", here.Secret); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SessionActor(ctx, here.Secret, pol); err != nil {
			t.Errorf("the session that changed the password: %v", err)
		}
		if _, _, err := svc.SessionActor(ctx, there.Secret, pol); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("another session after the change: %v", err)
		}
		if _, err := svc.Login(ctx, "sara", "sara's first password", cl, pol); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("the old password: %v", err)
		}
		if _, err := svc.Login(ctx, "sara", "sara's second password", cl, pol); err != nil {
			t.Errorf("the new password: %v", err)
		}

		// Admin reset: the password stops working, sessions end, the link
		// works once.
		if _, err := svc.ResetLink(ctx, a, "sara"); !domain.IsKind(err, domain.KindForbidden) {
			t.Errorf("a secretariat resetting: %v", err)
		}
		admin := service.Actor{Name: "user:root", Role: service.RoleAdmin}
		link, err := svc.ResetLink(ctx, admin, "sara")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SessionActor(ctx, here.Secret, pol); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("a session after the reset: %v", err)
		}
		if _, err := svc.Login(ctx, "sara", "sara's second password", cl, pol); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("the password after the reset: %v", err)
		}
		testkit.CheckKind(t, "weak password through the link", func() error {
			_, err := svc.ResetPassword(ctx, link.Token, "weak", cl, pol)
			return err
		}(), domain.KindInvalid, "password")
		s, err := svc.ResetPassword(ctx, link.Token, "sara's third password", cl, pol)
		if err != nil {
			t.Fatal(err)
		}
		if s.Via != "reset" || s.User.Username != "sara" {
			t.Errorf("session from the link = %+v", s)
		}
		_, err = svc.ResetPassword(ctx, link.Token, "sara's fourth password", cl, pol)
		testkit.CheckKind(t, "the link again", err, domain.KindInvalid, "token")
		if _, err := svc.Login(ctx, "sara", "sara's third password", cl, pol); err != nil {
			t.Errorf("the password set through the link: %v", err)
		}
		// A newer link retires the older one.
		l1, _ := svc.ResetLink(ctx, admin, "sara")
		l2, _ := svc.ResetLink(ctx, admin, "sara")
		_, err = svc.ResetPassword(ctx, l1.Token, "sara's fifth password", cl, pol)
		testkit.CheckKind(t, "an older link", err, domain.KindInvalid, "token")
		if _, err := svc.ResetPassword(ctx, l2.Token, "sara's fifth password", cl, pol); err != nil {
			t.Errorf("the newest link: %v", err)
		}
	})
}

func TestAccountsSetup(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e)
		ctx, db, svc := env.Ctx, env.DB, env.Svc
		pol := service.DefaultSessionPolicy
		link, err := svc.SetupLink(ctx)
		if err != nil || link == nil {
			t.Fatalf("setup link with no admin: %v %v", link, err)
		}
		if d := link.Expires.Sub(db.Now()); d < 23*time.Hour || d > 24*time.Hour {
			t.Errorf("the setup link lasts %v, want 24h", d)
		}
		other, _ := svc.SetupLink(ctx) // a second start prints another link
		u := &domain.User{Username: "first", DisplayName: domain.T("نخستین", "First")}
		_, err = svc.Setup(ctx, link.Token, u, "short", cl, pol)
		testkit.CheckKind(t, "weak password", err, domain.KindInvalid, "password")
		_, err = svc.Setup(ctx, strings.Repeat("x", 43), u, "the first admin's password", cl, pol)
		testkit.CheckKind(t, "wrong token", err, domain.KindInvalid, "token")
		s, err := svc.Setup(ctx, link.Token, u, "the first admin's password", cl, pol)
		if err != nil {
			t.Fatal(err)
		}
		if s.User.Role != "admin" || !s.User.Active || s.Via != "setup" {
			t.Errorf("setup session = %+v", s)
		}
		if a, _, err := svc.SessionActor(ctx, s.Secret, pol); err != nil || a.Role != service.RoleAdmin || a.Name != "user:first" {
			t.Errorf("setup session actor = %v %v", a, err)
		}
		for _, tok := range []string{link.Token, other.Token} {
			_, err = svc.Setup(ctx, tok, &domain.User{Username: "second", DisplayName: domain.T("", "Second")}, "the second admin's password", cl, pol)
			testkit.CheckKind(t, "setup link after setup", err, domain.KindInvalid, "token")
		}
		if l, err := svc.SetupLink(ctx); err != nil || l != nil {
			t.Errorf("setup link with an admin: %v %v", l, err)
		}
	})
}

func TestAccountsUpdate(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := accountsEnv(t, e)
		svc, ctx := env.Svc, env.Ctx
		admin := service.Actor{Name: "user:root", Role: service.RoleAdmin}
		root, _ := svc.User(ctx, admin, "root")
		// The last active admin stays.
		demoted := *root
		demoted.Role = "reader"
		testkit.CheckKind(t, "demote the last admin", svc.UpdateUser(ctx, admin, &demoted), domain.KindConflict, "role")
		off := *root
		off.Active = false
		testkit.CheckKind(t, "deactivate the last admin", svc.UpdateUser(ctx, admin, &off), domain.KindConflict, "role")

		u := env.User("hamid", service.RoleReader, "", "hamid's password!")
		pol := service.DefaultSessionPolicy
		s, _ := svc.Login(ctx, "hamid", "hamid's password!", cl, pol)
		// A new role holds from the next request.
		u.Role, u.Agency = "agency", "moh"
		if err := svc.UpdateUser(ctx, admin, u); err != nil {
			t.Fatal(err)
		}
		if u.Version != 2 {
			t.Errorf("version after update = %d", u.Version)
		}
		if a, _, _ := svc.SessionActor(ctx, s.Secret, pol); a.Role != service.RoleAgency || a.Agency != "moh" {
			t.Errorf("actor after the role change = %+v", a)
		}
		stale := *u
		stale.Version = 1
		testkit.CheckKind(t, "stale", svc.UpdateUser(ctx, admin, &stale), domain.KindStale, "")
		// Deactivation ends sessions and sign-ins.
		u.Active = false
		if err := svc.UpdateUser(ctx, admin, u); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SessionActor(ctx, s.Secret, pol); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("session of a deactivated account: %v", err)
		}
		if _, err := svc.Login(ctx, "hamid", "hamid's password!", cl, pol); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("sign-in of a deactivated account: %v", err)
		}
	})
}

// TestCouncilRole: a council member reads as staff and writes nothing.
func TestCouncilRole(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := accountsEnv(t, e)
		svc, ctx := env.Svc, env.Ctx
		env.User("council1", service.RoleCouncil, "", "council member pass")
		s, err := svc.Login(ctx, "council1", "council member pass", cl, service.DefaultSessionPolicy)
		if err != nil {
			t.Fatal(err)
		}
		a, _, _ := svc.SessionActor(ctx, s.Secret, service.DefaultSessionPolicy)
		if a.Role != service.RoleCouncil || a.Viewer() != (domain.Viewer{Staff: true}) {
			t.Errorf("council actor %+v, viewer %+v", a, a.Viewer())
		}
		err = svc.CreateAgency(ctx, a, &domain.Agency{Code: "ito", Name: domain.T("", "ITO"), Kind: domain.AgencyOrganization})
		testkit.CheckKind(t, "council writes", err, domain.KindForbidden, "")
	})
}
