package service

import (
	"context"
	"database/sql"
	"log/slog"

	"github.com/pishran/pishran/comparison"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Service carries out acts on the registry.
type Service struct {
	db          *store.DB
	log         *slog.Logger
	policy      domain.Policy
	compared    *budgetCache[compareKey, *comparison.Result]   // comparisons, a few at a time (national ones are large)
	listed      *budgetCache[listKey, []*domain.Project]       // pages of the project list (Projects)
	projectJSON *budgetCache[projectJSONKey, []byte]           // projects encoded, as each viewer sees them (ProjectsJSON)
	members     *budgetCache[memberKey, *memberPage]           // pages of programs' members (Members)
	programs    *budgetCache[programsKey, []domain.ProgramRow] // pages of the program list (Programs)
	fated       *budgetCache[string, []domain.FateMember]      // programs' fate breakdowns, by slug (fate.go)
	evidenceMax int64                                          // largest evidence file; 0 means DefaultEvidenceMax (evidence.go)
	jobDuty     float64                                        // share of the time background jobs work; 0 means DefaultJobDuty (jobs.go)
	notify      Notify                                         // notifications: e-mail off unless it has a Sender (notify.go)

	// projects is the agenda builder's project directory (agenda.go).
	projects *budgetCache[struct{}, *directory]
	// proposed keeps agenda proposals under the data version (agenda.go).
	proposed *budgetCache[agendaKey, *proposal]
}

// New returns a Service over db.
func New(db *store.DB, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: db, log: log, policy: domain.DefaultPolicy,
		listed:      newBudgetCache[listKey](listCacheProjects, func(v []*domain.Project) int { return len(v) }),
		projectJSON: newProjectJSONCache(),
		members:     newBudgetCache[memberKey](listCacheMembers, func(v *memberPage) int { return len(v.members) + 1 }),
		programs:    newBudgetCache[programsKey](listCachePrograms, func(v []domain.ProgramRow) int { return len(v) + 1 }),
		fated:       newBudgetCache[string](listCachePrograms, func([]domain.FateMember) int { return 1 }),
		proposed:    newProposalCache(),
		projects:    newBudgetCache[struct{}](1, func(*directory) int { return 1 }),
		compared:    newBudgetCache[compareKey](comparisonsKept, func(*comparison.Result) int { return 1 })}
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
