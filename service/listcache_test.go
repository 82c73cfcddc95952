package service_test

import (
	"fmt"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// The project list's pages are cached per registry generation: a second
// read gives the same page, any change to a project is seen at once, and
// what one viewer may see never reaches another through the cache.
func TestProjectListCache(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(3)
		svc, ctx := env.Svc, env.Ctx
		sys := service.System
		page := domain.Page{Limit: 101}
		titles := func(a service.Actor) []string {
			t.Helper()
			ps, err := svc.Projects(ctx, a, domain.ProjectFilter{}, page)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range ps {
				out = append(out, p.Slug+":"+p.Title.EN)
			}
			return out
		}
		first := titles(service.Anonymous)
		if len(first) != 3 || first[0] != "p0:Prescription system p0" {
			t.Fatalf("first read: %v", first)
		}
		if again := titles(service.Anonymous); len(again) != 3 || again[0] != first[0] {
			t.Fatalf("second read: %v", again)
		}
		// an update is seen by the next read
		v, err := svc.Project(ctx, sys, "p0")
		if err != nil {
			t.Fatal(err)
		}
		v.Title.EN = "Renamed"
		if err := svc.UpdateProject(ctx, sys, v.Project); err != nil {
			t.Fatal(err)
		}
		if got := titles(service.Anonymous); got[0] != "p0:Renamed" {
			t.Fatalf("after the update the list says %v", got)
		}
		// a confidential project: the secretariat's cached page never
		// reaches the public
		v, err = svc.Project(ctx, sys, "p1")
		if err != nil {
			t.Fatal(err)
		}
		v.Confidentiality = domain.Confidential
		if err := svc.UpdateProject(ctx, sys, v.Project); err != nil {
			t.Fatal(err)
		}
		if got := titles(sys); len(got) != 3 {
			t.Fatalf("the secretariat sees %v", got)
		}
		if got := titles(service.Anonymous); len(got) != 2 || got[1] != "p2:Prescription system p2" {
			t.Fatalf("the public sees %v", got)
		}
		// a new project appears
		if err := svc.CreateProject(ctx, sys, scenario.GoodProject("p9")); err != nil {
			t.Fatal(err)
		}
		if got := titles(service.Anonymous); len(got) != 3 || got[2] != "p9:Prescription system p9" {
			t.Fatalf("after a new project the public sees %v", got)
		}
	})
}

// A program's member pages are cached per registry generation too: a
// designation, a departure or a project turning confidential is seen by
// the next read, and the hidden count is per viewer.
func TestMemberPageCache(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(3)
		svc, ctx := env.Svc, env.Ctx
		sys := service.System
		if err := svc.CreateProgram(ctx, sys, &domain.Program{Slug: "gov14", Title: domain.T("فهرست", "List"), Term: 14,
			Kind: domain.ProgramDriving, Visibility: domain.VisibilityPublic, Status: domain.ProgramAdopted}); err != nil {
			t.Fatal(err)
		}
		active := func(a service.Actor) (string, int) {
			t.Helper()
			ms, hidden, err := svc.Members(ctx, a, "gov14", domain.MemberFilter{ActiveOnly: true}, domain.Page{Limit: 51})
			if err != nil {
				t.Fatal(err)
			}
			out := ""
			for _, m := range ms {
				out += m.Project + " "
			}
			return out, hidden
		}
		if got, h := active(service.Anonymous); got != "" || h != 0 {
			t.Fatalf("empty list: %q %d", got, h)
		}
		for _, p := range []string{"p0", "p1", "p2"} {
			if _, _, err := svc.Designate(ctx, sys, service.Designation{Program: "gov14", Project: p}); err != nil {
				t.Fatal(err)
			}
		}
		if got, h := active(service.Anonymous); got != "p0 p1 p2 " || h != 0 {
			t.Fatalf("after designations: %q %d", got, h)
		}
		if _, err := svc.Leave(ctx, sys, service.Departure{Program: "gov14", Project: "p1", Reason: domain.LeaveCompleted}); err != nil {
			t.Fatal(err)
		}
		if got, _ := active(service.Anonymous); got != "p0 p2 " {
			t.Fatalf("after p1 left: %q", got)
		}
		v, err := svc.Project(ctx, sys, "p2")
		if err != nil {
			t.Fatal(err)
		}
		v.Confidentiality = domain.Confidential
		if err := svc.UpdateProject(ctx, sys, v.Project); err != nil {
			t.Fatal(err)
		}
		if got, h := active(sys); got != "p0 p2 " || h != 0 {
			t.Fatalf("the secretariat sees %q, %d hidden", got, h)
		}
		if got, h := active(service.Anonymous); got != "p0 " || h != 1 {
			t.Fatalf("the public sees %q, %d hidden", got, h)
		}
	})
}

// The program list is cached per registry generation: a new program, a
// designation (its counts) and a program made restricted are seen by the
// next read, each viewer seeing what it may.
func TestProgramListCache(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(2)
		svc, ctx := env.Svc, env.Ctx
		sys := service.System
		list := func(a service.Actor) string {
			t.Helper()
			rows, err := svc.Programs(ctx, a, domain.Page{Limit: 101})
			if err != nil {
				t.Fatal(err)
			}
			out := ""
			for _, r := range rows {
				out += fmt.Sprintf("%s:%d ", r.Slug, r.Active)
			}
			return out
		}
		if got := list(service.Anonymous); got != "" {
			t.Fatalf("no programs yet: %q", got)
		}
		g := &domain.Program{Slug: "gov14", Title: domain.T("فهرست", "List"), Term: 14,
			Kind: domain.ProgramDriving, Visibility: domain.VisibilityPublic, Status: domain.ProgramAdopted}
		if err := svc.CreateProgram(ctx, sys, g); err != nil {
			t.Fatal(err)
		}
		if got := list(service.Anonymous); got != "gov14:0 " {
			t.Fatalf("after creating gov14: %q", got)
		}
		if _, _, err := svc.Designate(ctx, sys, service.Designation{Program: "gov14", Project: "p0"}); err != nil {
			t.Fatal(err)
		}
		if got := list(service.Anonymous); got != "gov14:1 " {
			t.Fatalf("after a designation: %q", got)
		}
		row, err := svc.Program(ctx, sys, "gov14")
		if err != nil {
			t.Fatal(err)
		}
		row.Program.Visibility = domain.VisibilityRestricted
		if err := svc.UpdateProgram(ctx, sys, row.Program); err != nil {
			t.Fatal(err)
		}
		if got := list(sys); got != "gov14:1 " {
			t.Fatalf("the secretariat sees %q", got)
		}
		if got := list(service.Anonymous); got != "" {
			t.Fatalf("the public sees the restricted program: %q", got)
		}
	})
}
