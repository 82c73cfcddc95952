package service_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// The benchmarks share one loaded database per dataset for the whole run
// (scenario.Dataset): loading 10,000 projects takes seconds, the operations
// milliseconds. TestMain removes them at the end.
func TestMain(m *testing.M) {
	code := m.Run()
	scenario.CloseDatasets()
	os.Exit(code)
}

var datasets = []struct{ name, from, to, open string }{
	{"reference", "gov12-egov-priority", "gov13-smart-driving", "gov13-smart-driving"},
	{"national", "program-09", "program-10", "program-10"},
}

// BenchmarkListPrograms lists programs with their counts and stages, as
// GET /api/v1/programs does, for the public.
func BenchmarkListPrograms(b *testing.B) {
	for _, ds := range datasets {
		b.Run(ds.name, func(b *testing.B) {
			svc := scenario.New(b, testkit.SQLite, scenario.Dataset(ds.name)).Svc
			ctx := context.Background()
			for b.Loop() {
				rows, err := svc.Programs(ctx, service.Anonymous, domain.Page{Limit: 101})
				if err != nil || len(rows) == 0 {
					b.Fatal(err, len(rows))
				}
			}
		})
	}
}

// BenchmarkListMembers lists the first 100 members of a program.
func BenchmarkListMembers(b *testing.B) {
	for _, ds := range datasets {
		b.Run(ds.name, func(b *testing.B) {
			svc := scenario.New(b, testkit.SQLite, scenario.Dataset(ds.name)).Svc
			ctx := context.Background()
			for b.Loop() {
				ms, _, err := svc.Members(ctx, service.Anonymous, ds.open, domain.MemberFilter{}, domain.Page{Limit: 101})
				if err != nil || len(ms) == 0 {
					b.Fatal(err, len(ms))
				}
			}
		})
	}
}

// BenchmarkCompare compares two consecutive programs, as the public sees it.
func BenchmarkCompare(b *testing.B) {
	for _, ds := range datasets {
		b.Run(ds.name, func(b *testing.B) {
			svc := scenario.New(b, testkit.SQLite, scenario.Dataset(ds.name)).Svc
			ctx := context.Background()
			for b.Loop() {
				r, err := svc.Compare(ctx, service.Anonymous, ds.from, ds.to)
				if err != nil || r.Narrative.EN == "" {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDesignate designates projects into a fresh open program, one per
// iteration (the rules on a read snapshot, the write in the writer).
func BenchmarkDesignate(b *testing.B) {
	for _, ds := range datasets {
		b.Run(ds.name, func(b *testing.B) {
			svc := scenario.New(b, testkit.SQLite, scenario.Dataset(ds.name)).Svc
			ctx := context.Background()
			var candidates []string
			for p, err := range domain.Walk(func(pg domain.Page) ([]*domain.Project, error) {
				return svc.Projects(ctx, service.System, domain.ProjectFilter{Kind: domain.KindService}, pg)
			}, func(p *domain.Project) string { return p.Slug }) {
				if err != nil {
					b.Fatal(err)
				}
				if p.Status != domain.Implemented && p.Status != domain.Withdrawn {
					candidates = append(candidates, p.Slug)
				}
			}
			programs := 0
			target := ""
			i := 0
			for b.Loop() {
				if target == "" || i%len(candidates) == 0 {
					programs++
					target = fmt.Sprintf("bench-%s-%d-%d", ds.name, b.N, programs)
					g := &domain.Program{Slug: target, Title: domain.T("سنجش", "bench"), Term: firstTerm(b, svc),
						Kind: domain.ProgramOther, Visibility: domain.VisibilityRestricted, Status: domain.ProgramDraft}
					if err := svc.CreateProgram(ctx, service.System, g); err != nil {
						b.Fatal(err)
					}
				}
				// The reference projects lack agencies and mandates, so the
				// rules refuse them: that refusal is the work measured there.
				_, _, err := svc.Designate(ctx, service.System, service.Designation{Program: target, Project: candidates[i%len(candidates)]})
				if err != nil && !domain.IsKind(err, domain.KindRuleViolation) {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func firstTerm(b *testing.B, svc *service.Service) int {
	ts, err := svc.Terms(context.Background())
	if err != nil || len(ts) == 0 {
		b.Fatal(err)
	}
	return ts[len(ts)-1].Number
}

// BenchmarkCompareUncached is the comparison's cold path: what the first
// reader after a change pays.
func BenchmarkCompareUncached(b *testing.B) {
	for _, ds := range datasets {
		b.Run(ds.name, func(b *testing.B) {
			svc := scenario.New(b, testkit.SQLite, scenario.Dataset(ds.name)).Svc
			ctx := context.Background()
			for b.Loop() {
				r, err := svc.CompareUncached(ctx, ds.from, ds.to)
				if err != nil || r.Narrative.EN == "" {
					b.Fatal(err)
				}
			}
		})
	}
}
