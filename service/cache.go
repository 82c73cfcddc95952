package service

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/keep"
	"github.com/pishran/pishran/store"
)

// The service keeps values derived from the registry (pages of lists, a
// comparison, the project directory) for one registry generation (see
// store.Tx.Generation), in caches of package keep: a new generation empties
// them, so a value is never served after the data it came from changed, on
// this instance or any other sharing the database.

// generation is a registry generation, or the data version's head (agenda
// proposals), as a keep.Version.
type generation int64

// Before reports whether g is older than o.
func (g generation) Before(o generation) bool { return g < o }

// budgetCache keeps values for one generation within a budget of items in
// all (size says how many a value holds); when a value does not fit, the
// oldest values make room.
type budgetCache[K comparable, V any] = keep.Cache[generation, K, V]

func newBudgetCache[K comparable, V any](budget int, size func(V) int) *budgetCache[K, V] {
	return keep.New[generation, K](budget, size)
}

type compareKey struct {
	from, to         string
	showConfidential bool
}

// listKey is one page of the project list, as one viewer sees it.
type listKey struct {
	filter domain.ProjectFilter
	viewer domain.Viewer
	page   domain.Page
}

// memberKey is one page of a program's members, as one viewer sees it.
type memberKey struct {
	program string
	filter  domain.MemberFilter
	viewer  domain.Viewer
	page    domain.Page
}

// programsKey is one page of the program list, as one viewer sees it.
type programsKey struct {
	viewer domain.Viewer
	page   domain.Page
}

// memberPage is a cached page of members with the count of hidden ones.
type memberPage struct {
	members []*domain.Member
	hidden  int
}

// listCacheLimit is the largest page the project list cache keeps: the
// API's pages (100 and the one-more look-ahead), not bulk reads.
const listCacheLimit = 101

// comparisonsKept bounds the comparisons kept: a national comparison holds
// thousands of rows, and the portal offers a handful of pairs.
const comparisonsKept = 8

// listCacheProjects bounds the projects the list cache holds in all (a
// project is about 2.5 KB in memory), and listCacheMembers the members the
// member cache holds (about 0.4 KB each): the first pages and common
// filters, which most readers ask for, without the caches growing with the
// registry.
const (
	// actionIDsKept bounds the ids of the public's actions kept, over all
	// filters (8 bytes each): the whole national list of 50,000 and the
	// filters readers choose.
	actionIDsKept     = 400_000
	listCacheProjects = 500
	listCacheMembers  = 5000
	listCachePrograms = 1000
)

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// sortBy sorts xs by a string key, keeping equal keys in order.
func sortBy[T any](xs []T, key func(T) string) {
	slices.SortStableFunc(xs, func(a, b T) int { return strings.Compare(key(a), key(b)) })
}

// DataVersion is what a view of the record can be kept under: the
// database's version of the areas the view shows (see store.DB.Versions;
// every area when none is named: the audit log's head) and the day, since
// computed status and staleness are judged as of today. Read it before
// reading the data the view shows: the view is then at least as new as the
// version, and any later write to those areas moves the version on. A
// cache keeps all its values under one set of areas.
type DataVersion struct {
	Head int64
	Day  domain.Date
}

// Before reports whether v is older than o.
func (v DataVersion) Before(o DataVersion) bool {
	return v.Head < o.Head || (v.Head == o.Head && v.Day.Before(o.Day))
}

// Area is a part of the record whose writes move a data version of their
// own: a view kept under the areas it shows outlives writes elsewhere.
type Area = store.Area

const (
	AreaRegistry = store.AreaRegistry // projects, programs, lists, agencies, laws, terms
	AreaFollowUp = store.AreaFollowUp // reports, milestones, KPIs, baselines, ratings, evidence
	AreaMeetings = store.AreaMeetings // series, meetings, agendas, outcomes, actions
	AreaPublish  = store.AreaPublish  // signed documents and signing keys
	AreaAccounts = store.AreaAccounts // users, tokens, sessions
	AreaJobs     = store.AreaJobs     // background job runs and the reminders they record
	AreaAudit    = store.AreaAudit    // audit checkpoints, baselines and seals
	AreaOther    = store.AreaOther    // writes of a kind no area names
)

// PublicAreas are the areas the public portal and the registry's reads
// show: not accounts, not the jobs' bookkeeping and reminders, not the
// audit log's checkpoints. A reminders run, a sign-in or a checkpoint
// leaves their version where it was.
var PublicAreas = []Area{AreaRegistry, AreaFollowUp, AreaMeetings, AreaPublish, AreaOther}

// DataVersion reads the current data version of areas (all of them when
// none is named): one indexed read, cheap enough to ask on every request
// of a cached page.
func (s *Service) DataVersion(ctx context.Context, areas ...Area) (DataVersion, error) {
	day := domain.DateOf(s.db.Now())
	if len(areas) == 0 {
		head, err := s.db.Version(ctx)
		return DataVersion{Head: head, Day: day}, err
	}
	v, err := s.db.Versions(ctx)
	return DataVersion{Head: v.Max(areas...), Day: day}, err
}
