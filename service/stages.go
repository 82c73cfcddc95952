package service

import (
	"context"
	"slices"

	"github.com/pishran/pishran/designation"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Propose adds a project to a draft program's candidates: the list the
// steering committee starts from. It returns the rules' verdict on the
// project, so the secretariat sees early what would stop it later.
func (s *Service) Propose(ctx context.Context, a Actor, program, project string) (v Verdict, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return v, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		if err := tx.LockProgram(program); err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return err
		}
		g, err := tx.Program(program, a.Viewer())
		if err != nil {
			return err
		}
		if g.Status != domain.ProgramDraft {
			return domain.Conflict("id", "نامزدها فقط به برنامه پیش‌نویس افزوده می‌شوند", "candidates can be added only to a draft program")
		}
		p, err := tx.Project(project, a.Viewer())
		if err != nil {
			return domain.Invalid("project", "پروژه‌ای با این شناسه ثبت نشده است", "no project with this slug is recorded")
		}
		if slices.Contains(g.Candidates, project) {
			return domain.Conflict("project", "این پروژه پیش‌تر نامزد شده است", "the project is already a candidate")
		}
		in, hidden, err := ruleInput(tx, s.refsFor(tx, a), g, p)
		if err != nil {
			return err
		}
		v = verdict(p, designation.Check(in), hidden)
		before := slices.Clone(g.Candidates)
		g.Candidates = append(g.Candidates, project)
		if err := tx.UpdateProgram(g); err != nil {
			return err
		}
		return auditState(tx, "propose", "program", g.Slug, map[string]any{"candidates": before})
	})
	return v, err
}

// StageDecision records one adoption stage of a draft program: which
// candidates the body passed. Stage sizes, and so the funnel, are counted
// from these records. With Adopt set (the last stage), the passed projects
// are designated — every rule run for every one, all refusals reported at
// once — and the program becomes adopted.
type StageDecision struct {
	Program    string          `json:"-"`
	Body       domain.Body     `json:"body"`
	Date       *domain.Date    `json:"date"`
	Resolution string          `json:"resolution"`
	Passed     []string        `json:"passed"`
	Main       []string        `json:"main"` // of the passed, the main projects (with Adopt)
	Note       domain.Text     `json:"note"`
	Sources    []domain.Source `json:"sources"`
	Adopt      bool            `json:"adopt"`
	// Version is the program's version the writer saw (0: not said); a
	// decision recorded from an older page is refused as stale.
	Version int64 `json:"-"`
}

// RecordStage records a stage decision.
func (s *Service) RecordStage(ctx context.Context, a Actor, d StageDecision) (out domain.ProgramRow, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return out, err
	}
	if len(d.Passed) == 0 {
		return out, domain.Invalid("passed", "دست‌کم یک پروژه باید از این مرحله بگذرد", "at least one project must pass the stage")
	}
	for _, m := range d.Main {
		if !slices.Contains(d.Passed, m) {
			return out, domain.Invalid("main", "پروژه اصلی باید از پروژه‌های گذرانده باشد: "+m, "a main project must be one of those passed: "+m)
		}
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		if err := tx.LockProgram(d.Program); err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return err
		}
		g, err := tx.Program(d.Program, a.Viewer())
		if err != nil {
			return err
		}
		if d.Version > 0 && g.Version != d.Version {
			return domain.Stale("program")
		}
		if g.Status != domain.ProgramDraft {
			return domain.Conflict("id", "مراحل تصویب فقط برای برنامه پیش‌نویس ثبت می‌شوند", "stages can be recorded only for a draft program")
		}
		st := domain.Stage{Body: d.Body, Date: d.Date, Resolution: d.Resolution, Passed: d.Passed, Note: d.Note, Sources: d.Sources}
		if n := len(g.Stages); n > 0 && d.Date != nil && g.Stages[n-1].Date != nil && d.Date.Before(*g.Stages[n-1].Date) {
			return domain.Invalid("date", "تاریخ این مرحله پیش از مرحله قبلی است", "this stage is dated before the previous one")
		}
		g.Stages = append(g.Stages, st)
		if err := g.Validate(); err != nil {
			return err
		}
		if err := checkPassed(g); err != nil {
			return err
		}
		if d.Adopt {
			var refused []Verdict
			for _, slug := range d.Passed {
				p, err := tx.Project(slug, a.Viewer())
				if err != nil {
					return err
				}
				in, hidden, err := ruleInput(tx, s.refsFor(tx, a), g, p)
				if err != nil {
					return err
				}
				if v := verdict(p, designation.Check(in), hidden); !v.Allowed {
					refused = append(refused, v)
				}
			}
			if len(refused) > 0 {
				var all []domain.Violation
				for _, v := range refused {
					for _, x := range domain.BlockingOf(v.Violations) {
						x.Field = v.Project + "." + x.Field
						all = append(all, x)
					}
				}
				return domain.Refused(all)
			}
			g.Status = domain.ProgramAdopted
		}
		if err := tx.UpdateProgram(g); err != nil {
			return err
		}
		if err := auditState(tx, "record-stage", "program", g.Slug, nil); err != nil {
			return err
		}
		if d.Adopt {
			date := d.Date
			if date == nil {
				today := domain.DateOf(tx.Now())
				date = &today
			}
			for _, slug := range d.Passed {
				ev := &domain.MembershipEvent{Program: g.Slug, Project: slug, Type: domain.EventEntered, Date: date,
					Stage: d.Body, Main: slices.Contains(d.Main, slug), Sources: d.Sources, RecordedBy: a.Name,
					Note: domain.T("تصویب در "+d.Resolution, "adopted by "+d.Resolution)}
				if d.Resolution == "" {
					ev.Note = domain.Text{}
				}
				p, err := tx.Project(slug, a.Viewer())
				if err != nil {
					return err
				}
				if err := enter(tx, p, ev); err != nil {
					return err
				}
			}
		}
		c, err := tx.ProgramCountsOf(g.Slug)
		out = domain.ProgramRow{Program: g, ProgramCounts: c}
		return err
	})
	return out, err
}
