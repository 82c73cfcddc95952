package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestStaffHeaderDisplayName: the staff header names the signed-in person
// by their display name in the page's language, not by the username
// (which stays as the name's title).
func TestStaffHeaderDisplayName(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		sc := scenario.New(t, e)
		srv := serve(t, sc)
		u := &domain.User{Username: "mahmadi", DisplayName: domain.T("مریم احمدی", "Maryam Ahmadi"),
			Role: string(service.RoleSecretariat), Active: true}
		if _, err := sc.Svc.CreateUser(sc.Ctx, service.System, u, scenario.StaffPassword); err != nil {
			t.Fatal(err)
		}
		session := sc.Session("mahmadi", scenario.StaffPassword)
		who := regexp.MustCompile(`(?s)<li class="who">(.*?)</li>`)
		for lang, want := range map[string]string{"fa": "مریم احمدی", "en": "Maryam Ahmadi"} {
			r := srv.Page(session, "/staff", lang)
			r.CheckPage(t, http.StatusOK, lang)
			m := who.FindStringSubmatch(r.Text())
			if m == nil {
				t.Fatalf("%s: no signed-in person in the header", lang)
			}
			if !strings.Contains(m[1], ">"+want+"</bdi>") {
				t.Errorf("%s header names %q, want the display name %q", lang, m[1], want)
			}
			if strings.Contains(m[1], ">mahmadi<") {
				t.Errorf("%s header shows the username: %q", lang, m[1])
			}
		}
	})
}
