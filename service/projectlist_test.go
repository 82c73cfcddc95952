package service_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// ProjectsJSON is Projects encoded: for every viewer, filter and page size
// the same projects in the same order, each the bytes encoding/json writes
// for it — its hidden links left out for the viewer that may not see them
// — and a write is seen by the next read, though the encoded projects are
// kept.
func TestProjectsJSON(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(4)
		svc, ctx, sys := env.Svc, env.Ctx, service.System
		px := scenario.GoodProject("px")
		px.Kind, px.Confidentiality = domain.KindInfrastructure, domain.Confidential
		px.Agencies = []domain.Participation{{Agency: "ito", Role: domain.RoleLead}}
		testkit.Must(t, svc.CreateProject(ctx, sys, px))
		p0, err := svc.Project(ctx, sys, "p0")
		testkit.Must(t, err)
		p0.DependsOn = []string{"px"}
		testkit.Must(t, svc.UpdateProject(ctx, sys, p0.Project))

		moh := service.Actor{Name: "moh", Role: service.RoleAgency, Agency: "moh"}
		ito := service.Actor{Name: "ito", Role: service.RoleAgency, Agency: "ito"}
		same := func(a service.Actor, f domain.ProjectFilter) string {
			t.Helper()
			var seen string
			for _, size := range []int{1, 2, 3, 101} {
				all := ""
				for after := ""; ; {
					p := domain.Page{After: after, Limit: size}
					want, err := svc.Projects(ctx, a, f, p)
					testkit.Must(t, err)
					items, slugs, err := svc.ProjectsJSON(ctx, a, f, p)
					testkit.Must(t, err)
					if len(items) != len(want) || len(slugs) != len(want) {
						t.Fatalf("%s %+v %+v: %d encoded, %d slugs, %d projects", a.Name, f, p, len(items), len(slugs), len(want))
					}
					for i, w := range want {
						b, err := json.Marshal(w)
						testkit.Must(t, err)
						if !bytes.Equal(items[i], b) || slugs[i] != w.Slug {
							t.Fatalf("%s %+v %+v: item %d\n got %s (%s)\nwant %s", a.Name, f, p, i, items[i], slugs[i], b)
						}
						all += w.Slug + " "
					}
					if len(want) < size {
						break
					}
					after = want[len(want)-1].Slug
				}
				if seen != "" && all != seen {
					t.Fatalf("%s %+v: pages of %d give %q, others %q", a.Name, f, size, all, seen)
				}
				seen = all
			}
			return seen
		}
		for _, c := range []struct {
			a    service.Actor
			f    domain.ProjectFilter
			want string
		}{
			{service.Anonymous, domain.ProjectFilter{}, "p0 p1 p2 p3 "},
			{moh, domain.ProjectFilter{}, "p0 p1 p2 p3 "},
			{ito, domain.ProjectFilter{}, "p0 p1 p2 p3 px "},
			{sys, domain.ProjectFilter{}, "p0 p1 p2 p3 px "},
			{service.Anonymous, domain.ProjectFilter{Agency: "ito"}, "p0 p1 p2 p3 "},
			{ito, domain.ProjectFilter{Kind: domain.KindInfrastructure}, "px "},
		} {
			if got := same(c.a, c.f); got != c.want {
				t.Errorf("%s %+v lists %q, want %q", c.a.Name, c.f, got, c.want)
			}
		}
		hidden := func(a service.Actor) int {
			items, _, err := svc.ProjectsJSON(ctx, a, domain.ProjectFilter{}, domain.Page{Limit: 1})
			testkit.Must(t, err)
			var p domain.Project
			testkit.Must(t, json.Unmarshal(items[0], &p))
			return p.HiddenLinks
		}
		if h, hi := hidden(service.Anonymous), hidden(ito); h != 1 || hi != 0 {
			t.Errorf("p0's link to px: hidden %d from the public, %d from ito", h, hi)
		}

		// Kept encoded, a project is still read anew after a write.
		p0, err = svc.Project(ctx, sys, "p0")
		testkit.Must(t, err)
		p0.Title.EN = "Renamed"
		testkit.Must(t, svc.UpdateProject(ctx, sys, p0.Project))
		items, _, err := svc.ProjectsJSON(ctx, service.Anonymous, domain.ProjectFilter{}, domain.Page{Limit: 1})
		testkit.Must(t, err)
		if !bytes.Contains(items[0], []byte(`"Renamed"`)) {
			t.Errorf("after the update the list says %s", items[0])
		}
		pxv, err := svc.Project(ctx, sys, "px")
		testkit.Must(t, err)
		pxv.Confidentiality = domain.Public
		testkit.Must(t, svc.UpdateProject(ctx, sys, pxv.Project))
		if h := hidden(service.Anonymous); h != 0 {
			t.Errorf("px made public: p0 still hides %d link from the public", h)
		}
		if got := same(service.Anonymous, domain.ProjectFilter{}); got != "p0 p1 p2 p3 px " {
			t.Errorf("px made public: the public lists %q", got)
		}
	})
}
