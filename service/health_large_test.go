package service_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/synth"
)

// Health of thousands of projects (the agenda builder's followed projects)
// is read in one pass over the tables instead of binding the slugs; both
// ways give the same answer, and a slug not asked for stays out.
func TestHealthOfManyProjects(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		svc := scenario.New(t, e).Svc
		if err := svc.Import(ctx, service.System, synth.Registry(synth.Small)); err != nil {
			t.Fatal(err)
		}
		if err := svc.LoadFollowUp(ctx, service.System, synth.Progress(synth.Small)); err != nil {
			t.Fatal(err)
		}
		var real []string
		for i := range synth.Small.Projects {
			real = append(real, fmt.Sprintf("p-%05d", i))
		}
		asked := real[1:] // the first project is not asked for
		few, err := svc.HealthOf(ctx, asked, synth.ProgressAsOf)
		if err != nil {
			t.Fatal(err)
		}
		many := append([]string{}, asked...)
		for i := range 2500 {
			many = append(many, fmt.Sprintf("no-such-%d", i))
		}
		got, err := svc.HealthOf(ctx, many, synth.ProgressAsOf)
		if err != nil {
			t.Fatal(err)
		}
		for _, slug := range many[len(asked):] {
			delete(got, slug) // health of an unknown project: nothing recorded
		}
		if !reflect.DeepEqual(got, few) {
			t.Errorf("health of %d projects read whole differs from the same read by slug", len(asked))
		}
		if _, ok := got[real[0]]; ok {
			t.Errorf("%s was not asked for but is in the answer", real[0])
		}
		stale := 0
		for _, h := range few {
			if h.Stale {
				stale++
			}
		}
		t.Logf("%d projects, %d stale", len(few), stale)
	})
}
