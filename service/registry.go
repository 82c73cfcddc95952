package service

import (
	"context"
	"database/sql"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/pishran/pishran/comparison"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Service carries out acts on the registry.
type Service struct {
	db          *store.DB
	log         *slog.Logger
	policy      domain.Policy
	compared    *budgetCache[compareKey, *comparison.Result]  // comparisons, a few at a time (national ones are large)
	listed      *budgetCache[listKey, []*domain.Project]      // pages of the project list (Projects)
	members     *budgetCache[memberKey, *memberPage]          // pages of programs' members (Members)
	programs    *budgetCache[programsKey, []store.ProgramRow] // pages of the program list (Programs)
	evidenceMax int64                                         // largest evidence file; 0 means DefaultEvidenceMax (progress.go)

	// projects is the agenda builder's project directory (meetings.go).
	projects *budgetCache[struct{}, *directory]
	// proposed keeps agenda proposals under the data version (meetings.go).
	proposed *budgetCache[agendaKey, *proposal]
}

// New returns a Service over db.
func New(db *store.DB, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: db, log: log, policy: domain.DefaultPolicy,
		listed:   newBudgetCache[listKey](listCacheProjects, func(v []*domain.Project) int { return len(v) }),
		members:  newBudgetCache[memberKey](listCacheMembers, func(v *memberPage) int { return len(v.members) + 1 }),
		programs: newBudgetCache[programsKey](listCachePrograms, func(v []store.ProgramRow) int { return len(v) + 1 }),
		proposed: newProposalCache(),
		projects: newBudgetCache[struct{}](1, func(*directory) int { return 1 }),
		compared: newBudgetCache[compareKey](comparisonsKept, func(*comparison.Result) int { return 1 })}
}

// SetPolicy replaces the follow-up thresholds.
// It is set when the service starts, before any request: proposals kept
// under the old thresholds are dropped.
func (s *Service) SetPolicy(p domain.Policy) { s.policy, s.proposed = p, newProposalCache() }

// Policy returns the follow-up thresholds in force.
func (s *Service) Policy() domain.Policy { return s.policy }

// ReadOnly reports whether this instance serves a replica: it reads, and
// refuses every write (serve --read-only).
func (s *Service) ReadOnly() bool { return s.db.ReadOnly() }

// DB returns the underlying database, for wiring (copy, backup) and tests.
// The doors use Ping, Engine and Pools instead.
func (s *Service) DB() *store.DB { return s.db }

// Ping checks that the database answers: the health check.
func (s *Service) Ping(ctx context.Context) error { return s.db.Ping(ctx) }

// Engine names the database engine in use ("sqlite" or "postgres").
func (s *Service) Engine() string { return string(s.db.Engine()) }

// Pools returns the write and read connection pools (the same pool for
// PostgreSQL), for metrics.
func (s *Service) Pools() (w, r *sql.DB) { return s.db.Pools() }

// ---- terms ----

// Terms lists every government term.
func (s *Service) Terms(ctx context.Context) (out []*domain.Term, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Terms(); return err })
	return out, err
}

// Term returns one term.
func (s *Service) Term(ctx context.Context, number int) (out *domain.Term, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Term(number); return err })
	return out, err
}

// CreateTerm records a term.
func (s *Service) CreateTerm(ctx context.Context, a Actor, v *domain.Term) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if err := tx.InsertTerm(v); err != nil {
			return err
		}
		return auditState(tx, "create", "term", strconv.Itoa(v.Number), nil)
	})
}

// UpdateTerm replaces a term; v.Version must be the version the caller read.
func (s *Service) UpdateTerm(ctx context.Context, a Actor, v *domain.Term) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Term(v.Number)
		if err != nil {
			return err
		}
		if err := tx.UpdateTerm(v); err != nil {
			return err
		}
		return auditState(tx, "update", "term", strconv.Itoa(v.Number), old)
	})
}

// DeleteTerm removes a term no program refers to.
func (s *Service) DeleteTerm(ctx context.Context, a Actor, number int, version int64) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Term(number)
		if err != nil {
			return err
		}
		if err := tx.DeleteTerm(number, version); err != nil {
			return err
		}
		return tx.Audit("delete", "term", strconv.Itoa(number), old, nil)
	})
}

// ---- agencies ----

// Agencies lists agencies.
func (s *Service) Agencies(ctx context.Context, p store.Page) (out []*domain.Agency, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Agencies(p); return err })
	return out, err
}

// Agency returns one agency.
func (s *Service) Agency(ctx context.Context, code string) (out *domain.Agency, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Agency(code); return err })
	return out, err
}

// CreateAgency records an agency.
func (s *Service) CreateAgency(ctx context.Context, a Actor, v *domain.Agency) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if err := tx.InsertAgency(v); err != nil {
			return err
		}
		return auditState(tx, "create", "agency", v.Code, nil)
	})
}

// UpdateAgency replaces an agency. An agency's focal point may edit its own
// agency's record.
func (s *Service) UpdateAgency(ctx context.Context, a Actor, v *domain.Agency) error {
	if err := a.mayEditAgency(v.Code); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Agency(v.Code)
		if err != nil {
			return err
		}
		if err := tx.UpdateAgency(v); err != nil {
			return err
		}
		return auditState(tx, "update", "agency", v.Code, old)
	})
}

// DeleteAgency removes an agency nothing refers to.
func (s *Service) DeleteAgency(ctx context.Context, a Actor, code string, version int64) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Agency(code)
		if err != nil {
			return err
		}
		if err := tx.DeleteAgency(code, version); err != nil {
			return err
		}
		return tx.Audit("delete", "agency", code, old, nil)
	})
}

// ---- laws ----

// Laws lists laws.
func (s *Service) Laws(ctx context.Context, p store.Page) (out []*domain.Law, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Laws(p); return err })
	return out, err
}

// Law returns one law.
func (s *Service) Law(ctx context.Context, slug string) (out *domain.Law, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Law(slug); return err })
	return out, err
}

// CreateLaw records a law.
func (s *Service) CreateLaw(ctx context.Context, a Actor, v *domain.Law) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if err := tx.InsertLaw(v); err != nil {
			return err
		}
		return auditState(tx, "create", "law", v.Slug, nil)
	})
}

// UpdateLaw replaces a law.
func (s *Service) UpdateLaw(ctx context.Context, a Actor, v *domain.Law) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Law(v.Slug)
		if err != nil {
			return err
		}
		if err := tx.UpdateLaw(v); err != nil {
			return err
		}
		return auditState(tx, "update", "law", v.Slug, old)
	})
}

// DeleteLaw removes a law no mandate refers to.
func (s *Service) DeleteLaw(ctx context.Context, a Actor, slug string, version int64) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Law(slug)
		if err != nil {
			return err
		}
		if err := tx.DeleteLaw(slug, version); err != nil {
			return err
		}
		return tx.Audit("delete", "law", slug, old, nil)
	})
}

// ---- projects ----

// Projects lists the projects the actor may see, each with the links to
// projects the actor may not see left out and counted (visibility.go).
//
// Pages of up to listCacheLimit projects are kept, as the actor sees them,
// for the registry generation they were read in (see budgetCache): a page
// is one read of the generation instead of six queries over a hundred
// projects. The projects returned are shared with other callers and must
// not be changed.
func (s *Service) Projects(ctx context.Context, a Actor, f store.ProjectFilter, p store.Page) (out []*domain.Project, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		read := func() ([]*domain.Project, error) {
			ps, err := tx.Projects(f, a.Viewer(), p)
			if err != nil {
				return nil, err
			}
			r := s.refsFor(tx, a)
			ps = r.projects(ps)
			return ps, r.Err()
		}
		if p.Limit > listCacheLimit {
			out, err = read()
			return err
		}
		gen, err := tx.Generation()
		if err != nil {
			return err
		}
		key := listKey{f, a.Viewer(), p}
		if v, ok := s.listed.Get(generation(gen), key); ok {
			out = v
			return nil
		}
		if out, err = read(); err == nil {
			s.listed.Put(generation(gen), key, out)
		}
		return err
	})
	return slices.Clip(out), err
}

// ProjectView is a project with its standing in every program.
type ProjectView struct {
	*domain.Project
	Memberships []*store.Member `json:"memberships"`
}

// Project returns one project with its memberships in the programs the
// actor may see. A project the actor may not see is not found; links to
// projects the actor may not see are left out and counted (visibility.go).
func (s *Service) Project(ctx context.Context, a Actor, slug string) (*ProjectView, error) {
	var v ProjectView
	err := s.db.View(ctx, func(tx *store.Tx) error {
		p, err := tx.Project(slug, a.Viewer())
		if err != nil {
			return err
		}
		// A restricted program is not the public's: neither is the
		// project's standing in it.
		ms, err := tx.ProjectMemberships(slug, a.Viewer())
		if err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		v.Project, v.Memberships = r.project(p), r.members(ms)
		if v.Memberships == nil {
			v.Memberships = []*store.Member{}
		}
		return r.Err()
	})
	return &v, err
}

// CreateProject records a project. An agency's focal point may record a
// project its agency leads.
func (s *Service) CreateProject(ctx context.Context, a Actor, v *domain.Project) error {
	if err := a.mustOwnProject(v); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if err := tx.InsertProject(v); err != nil {
			return err
		}
		return auditState(tx, "create", "project", v.Slug, nil)
	})
}

// UpdateProject replaces a project. An agency's focal point may edit a
// project its agency leads, and must keep leading it.
func (s *Service) UpdateProject(ctx context.Context, a Actor, v *domain.Project) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Project(v.Slug, a.Viewer())
		if err != nil {
			return err
		}
		if err := a.mustOwnProject(old); err != nil {
			return err
		}
		if err := a.mustOwnProject(v); err != nil {
			return err
		}
		// The editor read the project without the links it may not see
		// (visibility.go); the edit keeps them rather than drop them.
		// What the editor sent is checked as ever: naming a project it
		// may not see is refused as naming a missing one.
		r := s.refsFor(tx, a)
		var deps []string
		var preds []domain.Predecessor
		for _, d := range old.DependsOn {
			if !r.sees(d) {
				deps = append(deps, d)
			}
		}
		for _, pr := range old.Predecessors {
			if !r.sees(pr.Project) {
				preds = append(preds, pr)
			}
		}
		if err := r.Err(); err != nil {
			return err
		}
		if err := tx.UpdateProject(v); err != nil {
			return err
		}
		if len(deps)+len(preds) > 0 {
			if err := tx.KeepProjectLinks(v.Slug, deps, preds); err != nil {
				return err
			}
		}
		return auditState(tx, "update", "project", v.Slug, old)
	})
}

// DeleteProject removes a project that was never on a list.
func (s *Service) DeleteProject(ctx context.Context, a Actor, slug string, version int64) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Project(slug, a.Viewer())
		if err != nil {
			return err
		}
		// What goes with the project (its follow-up records) is read
		// first, and its deletion recorded too.
		deps, err := projectDependents(tx, slug)
		if err != nil {
			return err
		}
		if err := tx.DeleteProject(slug, version); err != nil {
			return err
		}
		for _, d := range deps {
			if err := tx.Audit("delete", d.kind, d.key, d.state, nil); err != nil {
				return err
			}
		}
		return tx.Audit("delete", "project", slug, old, nil)
	})
}

// IsEmpty reports whether the registry holds no records.
func (s *Service) IsEmpty(ctx context.Context) (empty bool, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { empty, err = tx.IsEmpty(); return err })
	return empty, err
}

// dependent is a record deleted with its project.
type dependent struct {
	kind, key string
	state     any
}

// projectDependents lists the audited records a project's deletion takes
// with it: its milestones, indicators, ratings, baselines and reports.
func projectDependents(tx *store.Tx, slug string) ([]dependent, error) {
	var out []dependent
	for _, kind := range []string{"milestone", "kpi", "rating", "baseline", "report"} {
		keys, err := tx.RecordKeys(kind)
		if err != nil {
			return nil, err
		}
		for _, key := range keys {
			if kind == "report" {
				continue // keyed by id: found below
			}
			if strings.HasPrefix(key, slug+"/") {
				st, _, err := recordState(tx, kind, key)
				if err != nil {
					return nil, err
				}
				out = append(out, dependent{kind, key, st})
			}
		}
	}
	for after := ""; ; {
		page, err := tx.Reports(store.ReportFilter{Project: slug}, store.Viewer{All: true}, store.Page{After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, r := range page {
			key := strconv.FormatInt(r.ID, 10)
			st, _, err := recordState(tx, "report", key)
			if err != nil {
				return nil, err
			}
			out = append(out, dependent{"report", key, st})
		}
		if len(page) < 1000 {
			return out, nil
		}
		after = strconv.FormatInt(page[len(page)-1].ID, 10)
	}
}
