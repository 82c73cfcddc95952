package service

import (
	"context"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/store"
)

// A public page is read in one transaction with the statements it needs
// and none twice (issue 12): a project page used to read the project three
// times (Project, HealthFor, ProjectRecord), its follow-up state twice and
// each agency on its own, in eight transactions. ProjectPage reads it
// whole in one snapshot: the project, what it names, its memberships and
// follow-up in one statement (store.Tx.ProjectPageOf), and the project
// directory (kept per registry generation) for the titles of the projects
// it links to and for the visibility rule.

// ProjectPage is what a project's page shows, as the actor may see it.
type ProjectPage struct {
	// Project is the project without the links to projects the actor may
	// not see (counted in HiddenLinks), as Project answers it.
	Project *domain.Project
	// Memberships is its standing in the programs the actor may see, a
	// successor the actor may not see left out and counted.
	Memberships   []*domain.Member
	ProgramTitles map[string]domain.Text // by program slug
	// ClosedPrograms are the lists among them that are closed: a member
	// with no departure was on the list when it closed, not on it today.
	ClosedPrograms map[string]bool
	Agencies       map[string]domain.Text // the names of its agencies, by code
	Laws           map[string]*domain.Law // the laws of its mandates (title and articles), by slug
	// Titles are the titles of the projects its links name that the actor
	// may see, by slug; a linked slug missing here is not to be named.
	Titles map[string]domain.Text
	// Health is its computed health as of today, as HealthFor answers it.
	Health domain.Health
	// Record is its follow-up, as ProjectRecord answers it.
	Record ProjectRecord
	// Actions are the council's actions about it the actor may read (the
	// public: only those about public projects alone), newest first, with
	// their histories but not the accounts that recorded them; Owners
	// names their owner agencies (public_follow.go).
	Actions []*domain.Action
	Owners  map[string]domain.Text
	Day     domain.Date // the day of the read, for overdue ages
	// Integrations are its declared integrations judged from the
	// exchange's aggregates as of the read (issue 15), read in the same
	// transaction.
	Integrations []exchange.Judged
	// ExchangeAgencies names the agencies their ends are mapped to, by
	// code.
	ExchangeAgencies map[string]domain.Text
}

// ProjectPage reads a project's page in one read transaction; a project
// the actor may not see is not found.
func (s *Service) ProjectPage(ctx context.Context, a Actor, slug string) (out *ProjectPage, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		pg, err := tx.ProjectPageOf(slug, a.Viewer())
		if err != nil {
			return err
		}
		dir, err := s.projectDirectoryAt(tx, pg.Generation)
		if err != nil {
			return err
		}
		r := &refs{v: a.Viewer(), s: s, tx: tx, dir: dir}
		out = &ProjectPage{Project: r.project(pg.Project), Memberships: r.members(pg.Memberships), ProgramTitles: pg.ProgramTitles, ClosedPrograms: pg.ClosedPrograms,
			Agencies: pg.Names.Agencies, Laws: pg.Names.Laws, Titles: map[string]domain.Text{}}
		title := func(slug string) {
			if e, ok := dir.bySlug[slug]; ok && r.sees(slug) {
				out.Titles[slug] = e.Title
			}
		}
		for _, d := range out.Project.DependsOn {
			title(d)
		}
		for _, pr := range out.Project.Predecessors {
			title(pr.Project)
		}
		for _, m := range out.Memberships {
			if m.Successor != "" {
				title(m.Successor)
			}
		}
		day := txDay(tx)
		out.Health = s.judge(slug, pg.State, day, owesReports(pg.Project.Status)).Health
		rec := &out.Record
		if st := pg.State; st != nil && st.ReportID > 0 {
			end := st.Period.End()
			rec.LastAccepted = &end
			rec.LastReport.VerificationCode = pg.LastReportCode
		}
		rec.Milestones, rec.Ratings, rec.Decisions = pg.Milestones, pg.Ratings, r.decisions(pg.Decisions)
		out.Actions, out.Owners, out.Day = pg.Actions, pg.ActionOwners, day
		if out.Integrations, out.ExchangeAgencies, err = judgeDeclared(tx, pg.Declared); err != nil {
			return err
		}
		return r.Err()
	})
	return out, err
}

// judgeDeclared judges declarations as judge does, one by one, but reads
// their traffic and their ends' agencies in two statements whatever their
// number (none when there are none), as a page's read budget asks; names
// are the names of the agencies their ends are mapped to, by code.
func judgeDeclared(tx *store.Tx, ds []*exchange.Declared) (out []exchange.Judged, names map[string]domain.Text, err error) {
	out, names = make([]exchange.Judged, 0, len(ds)), map[string]domain.Text{}
	if len(ds) == 0 {
		return out, names, nil
	}
	asOf := tx.Now()
	ins, since := make([]exchange.Integration, len(ds)), make([]time.Time, len(ds))
	ids := make([]exchange.Subsystem, 0, 2*len(ds))
	for i, d := range ds {
		ins[i], since[i] = d.Integration, asOf.AddDate(0, 0, -judgeSpan(d.Policy))
		ids = append(ids, d.Integration.Client, d.Integration.Service.Provider)
	}
	traffic, err := tx.TrafficOfAll(ins, since)
	if err != nil {
		return nil, nil, err
	}
	agencies, err := tx.AgenciesOf(ids)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range agencies {
		names[a.Code] = a.Name
	}
	for i, d := range ds {
		out = append(out, exchange.Judged{Declared: *d, Status: exchange.Evaluate(d.Integration, traffic[i], asOf, d.Policy),
			ClientAgency: agencies[d.Integration.Client.String()].Code, ProviderAgency: agencies[d.Integration.Service.Provider.String()].Code})
	}
	return out, names, nil
}
