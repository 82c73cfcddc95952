package reference

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/pishran/pishran/domain"
)

const (
	programA = "gov12-egov-priority"
	programB = "gov13-smart-driving"
)

func load(t *testing.T) *domain.Document {
	t.Helper()
	doc, err := Document()
	if err != nil {
		t.Fatalf("Document: %v", err)
	}
	return doc
}

func program(t *testing.T, doc *domain.Document, slug string) *domain.Program {
	t.Helper()
	for i := range doc.Programs {
		if doc.Programs[i].Slug == slug {
			return &doc.Programs[i]
		}
	}
	t.Fatalf("program %q missing", slug)
	return nil
}

// members returns the projects entered into a program, in event order.
func members(doc *domain.Document, prog string) []string {
	var out []string
	for _, e := range doc.Events {
		if e.Program == prog && e.Type == domain.EventEntered && !slices.Contains(out, e.Project) {
			out = append(out, e.Project)
		}
	}
	return out
}

func TestDecodes(t *testing.T) {
	doc := load(t)
	if doc.Format != domain.DocumentFormat || doc.Version != domain.DocumentVersion {
		t.Errorf("format %q version %d", doc.Format, doc.Version)
	}
	if doc.Title.IsZero() || doc.Notes.IsZero() {
		t.Error("document title and notes must be set")
	}
	if len(doc.Terms) != 2 || len(doc.Programs) != 2 {
		t.Errorf("terms %d, programs %d; want 2 and 2", len(doc.Terms), len(doc.Programs))
	}
}

// The dataset must survive decode → encode unchanged (up to key order), as
// export → import → export would: no field the types drop or add.
func TestRoundTrip(t *testing.T) {
	doc := load(t)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(JSON(), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("re-encoded document differs from registry.json")
	}
}

func TestEverythingSourced(t *testing.T) {
	doc := load(t)
	for _, x := range doc.Terms {
		if len(x.Sources) == 0 {
			t.Errorf("term %d has no source", x.Number)
		}
	}
	for _, x := range doc.Agencies {
		if len(x.Sources) == 0 {
			t.Errorf("agency %q has no source", x.Code)
		}
	}
	for _, x := range doc.Laws {
		if len(x.Sources) == 0 {
			t.Errorf("law %q has no source", x.Slug)
		}
	}
	for _, x := range doc.Projects {
		if len(x.Sources) == 0 {
			t.Errorf("project %q has no source", x.Slug)
		}
		for _, p := range x.Predecessors {
			if len(p.Sources) == 0 {
				t.Errorf("project %q: predecessor %q has no source", x.Slug, p.Project)
			}
		}
	}
	for _, x := range doc.Programs {
		if len(x.Sources) == 0 {
			t.Errorf("program %q has no source", x.Slug)
		}
		for _, s := range x.Stages {
			if len(s.Sources) == 0 {
				t.Errorf("program %q: stage %q has no source", x.Slug, s.Body)
			}
		}
	}
	for _, e := range doc.Events {
		if len(e.Sources) == 0 {
			t.Errorf("event %d has no source", e.ID)
		}
	}
}

func TestProgramA(t *testing.T) {
	doc := load(t)
	p := program(t, doc, programA)
	if p.Term != 12 || p.Kind != domain.ProgramPriority || p.Status != domain.ProgramClosed {
		t.Errorf("term %d kind %q status %q", p.Term, p.Kind, p.Status)
	}
	if p.DeclaredSize == nil || *p.DeclaredSize != 23 {
		t.Errorf("declared size %v, want 23", p.DeclaredSize)
	}
	if got := len(members(doc, programA)); got != 20 {
		t.Errorf("program A names %d projects, want 20", got)
	}
	want := map[domain.Body]int{domain.BodySteeringCommittee: 15, domain.BodyCouncil: 18, domain.BodyGovernmentBoard: 23}
	for _, s := range p.Stages {
		n, basis := s.Size()
		if n != want[s.Body] || basis != "sourced" {
			t.Errorf("stage %q: size %d (%s), want %d sourced", s.Body, n, basis, want[s.Body])
		}
		delete(want, s.Body)
		if s.Body == domain.BodyGovernmentBoard {
			if s.Date == nil || s.Date.String() != "2018-04-11" || s.Date.Jalali() != "1397/01/22" {
				t.Errorf("government-board date %v, want 2018-04-11 (1397/01/22)", s.Date)
			}
			if s.Resolution != "12176/ت55285ه" {
				t.Errorf("resolution %q", s.Resolution)
			}
		}
	}
	if len(want) != 0 {
		t.Errorf("missing stages: %v", want)
	}
}

func TestProgramB(t *testing.T) {
	doc := load(t)
	p := program(t, doc, programB)
	if p.Term != 13 || p.Kind != domain.ProgramDriving || p.Status != domain.ProgramAdopted {
		t.Errorf("term %d kind %q status %q", p.Term, p.Kind, p.Status)
	}
	if p.DeclaredSize == nil || *p.DeclaredSize != 20 {
		t.Errorf("declared size %v, want 20", p.DeclaredSize)
	}
	if got, want := members(doc, programB), []string{"smart-health", "neobank"}; !slices.Equal(got, want) {
		t.Errorf("program B members %v, want %v", got, want)
	}
}

func TestMainProjects(t *testing.T) {
	doc := load(t)
	var main []string
	for _, e := range doc.Events {
		if e.Main {
			if e.Program != programA || e.Type != domain.EventEntered {
				t.Errorf("event %d: main set on a %q event in %q", e.ID, e.Type, e.Program)
			}
			main = append(main, e.Project)
		}
	}
	slices.Sort(main)
	if want := []string{"e-health", "e-tax", "setad"}; !slices.Equal(main, want) {
		t.Errorf("main projects %v, want %v", main, want)
	}
}

func TestReferences(t *testing.T) {
	doc := load(t)
	projects := map[string]bool{}
	for _, p := range doc.Projects {
		if projects[p.Slug] {
			t.Errorf("duplicate project %q", p.Slug)
		}
		projects[p.Slug] = true
	}
	programs := map[string]bool{}
	for _, p := range doc.Programs {
		programs[p.Slug] = true
	}
	terms := map[int]bool{}
	for _, x := range doc.Terms {
		terms[x.Number] = true
	}
	agencies := map[string]bool{}
	for _, a := range doc.Agencies {
		agencies[a.Code] = true
	}
	laws := map[string]*domain.Law{}
	for i := range doc.Laws {
		laws[doc.Laws[i].Slug] = &doc.Laws[i]
	}
	for _, a := range doc.Agencies {
		if a.Parent != "" && !agencies[a.Parent] {
			t.Errorf("agency %q: unknown parent %q", a.Code, a.Parent)
		}
	}
	for _, p := range doc.Programs {
		if !terms[p.Term] {
			t.Errorf("program %q: unknown term %d", p.Slug, p.Term)
		}
	}
	for _, p := range doc.Projects {
		for _, m := range p.Mandates {
			if l := laws[m.Law]; l == nil || !l.HasArticle(m.Article) {
				t.Errorf("project %q: mandate %s %s not in the laws", p.Slug, m.Law, m.Article)
			}
		}
		for _, d := range p.DependsOn {
			if !projects[d] {
				t.Errorf("project %q depends on unknown %q", p.Slug, d)
			}
		}
		for _, pr := range p.Predecessors {
			if !projects[pr.Project] {
				t.Errorf("project %q: unknown predecessor %q", p.Slug, pr.Project)
			}
		}
	}
	for i, e := range doc.Events {
		if e.ID != int64(i+1) {
			t.Errorf("event %d has id %d; ids must run 1..n in order", i+1, e.ID)
		}
		if !programs[e.Program] {
			t.Errorf("event %d: unknown program %q", e.ID, e.Program)
		}
		if !projects[e.Project] {
			t.Errorf("event %d: unknown project %q", e.ID, e.Project)
		}
		if e.Successor != "" && !projects[e.Successor] {
			t.Errorf("event %d: unknown successor %q", e.ID, e.Successor)
		}
		if e.RecordedAt.IsZero() || e.RecordedBy == "" {
			t.Errorf("event %d: recorded_at/recorded_by missing", e.ID)
		}
	}
	// Oldest first: no dated event may follow a later dated one.
	var last *domain.Date
	for _, e := range doc.Events {
		if e.Date != nil {
			if last != nil && e.Date.Before(*last) {
				t.Errorf("event %d dated %s is out of order", e.ID, e.Date)
			}
			last = e.Date
		}
	}
}

func TestLeaveReasons(t *testing.T) {
	doc := load(t)
	type leave struct {
		reason    domain.LeaveReason
		successor string
	}
	want := map[string]leave{
		"setad":                          {domain.LeaveCompleted, ""},
		"smart-identity":                 {domain.LeaveBecameInfrastructure, ""},
		"document-validation":            {domain.LeaveBecameInfrastructure, ""},
		"information-exchange-inquiries": {domain.LeaveSuperseded, "nix"},
		"e-health":                       {domain.LeaveEvolved, "smart-health"},
		"e-banking":                      {domain.LeaveTooGeneral, "neobank"},
		"anti-smuggling":                 {domain.LeaveConfidential, ""},
	}
	got := map[string]leave{}
	for _, e := range doc.Events {
		if e.Type != domain.EventLeft {
			continue
		}
		if e.Program != programA {
			t.Errorf("event %d: unexpected leave from %q", e.ID, e.Program)
		}
		if e.Date != nil {
			t.Errorf("event %d: leave date %s is not sourced", e.ID, e.Date)
		}
		got[e.Project] = leave{e.Reason, e.Successor}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("leave events\n got %v\nwant %v", got, want)
	}
	// Folding each project's history: the leavers are inactive, the rest
	// of program A's members are still recorded as active (fates unknown).
	byProject := map[string][]domain.MembershipEvent{}
	for _, e := range doc.Events {
		if e.Program == programA {
			byProject[e.Project] = append(byProject[e.Project], e)
		}
	}
	for slug, es := range byProject {
		m, ok := domain.Fold(es)
		if !ok {
			t.Errorf("%s: no standing membership", slug)
			continue
		}
		_, left := want[slug]
		if m.Active == left {
			t.Errorf("%s: active=%v, want %v", slug, m.Active, !left)
		}
	}
}

// Responsible agencies are unknown in every source reached, so no project may
// name one until a source does.
func TestNoInventedAgencies(t *testing.T) {
	doc := load(t)
	for _, p := range doc.Projects {
		if len(p.Agencies) != 0 {
			t.Errorf("project %q names agencies %v, but no source gives them", p.Slug, p.Agencies)
		}
	}
}

func TestProjectFacts(t *testing.T) {
	doc := load(t)
	bySlug := map[string]domain.Project{}
	for _, p := range doc.Projects {
		bySlug[p.Slug] = p
	}
	for _, slug := range []string{"smart-identity", "document-validation", "nix"} {
		if bySlug[slug].Kind != domain.KindInfrastructure {
			t.Errorf("%s: kind %q, want infrastructure", slug, bySlug[slug].Kind)
		}
	}
	for _, p := range doc.Projects {
		wantConf := domain.Public
		if p.Slug == "anti-smuggling" {
			wantConf = domain.Confidential
		}
		if p.Confidentiality != wantConf {
			t.Errorf("%s: confidentiality %q, want %q", p.Slug, p.Confidentiality, wantConf)
		}
		wantStatus := domain.Designated
		if slices.Contains([]string{"setad", "e-tax", "nix"}, p.Slug) {
			wantStatus = domain.Implemented
		}
		if p.Status != wantStatus {
			t.Errorf("%s: status %q, want %q", p.Slug, p.Status, wantStatus)
		}
	}
	if m := bySlug["nix"].Mandates; len(m) != 1 || m[0].Law != "sixth-development-plan" || m[0].Article != "67(ث) note 2" {
		t.Errorf("nix mandates %v", m)
	}
	if pr := bySlug["smart-health"].Predecessors; len(pr) != 1 || pr[0].Project != "e-health" || pr[0].Kind != domain.LineageEvolved {
		t.Errorf("smart-health predecessors %v", pr)
	}
	if pr := bySlug["neobank"].Predecessors; len(pr) != 1 || pr[0].Project != "e-banking" || pr[0].Kind != domain.LineageReplaced {
		t.Errorf("neobank predecessors %v", pr)
	}
	if s := bySlug["e-folder"].Sources; len(s) == 0 || s[0].Confidence != "low" {
		t.Errorf("e-folder must be sourced with low confidence: %v", s)
	}
}

// Every localized text {fa, en} must be filled in both languages or in
// neither: a text present in only one language is an untranslated gap.
func TestBilingual(t *testing.T) {
	var doc any
	if err := json.Unmarshal(JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			fa, hasFA := x["fa"].(string)
			en, hasEN := x["en"].(string)
			if hasFA && hasEN && (fa == "") != (en == "") {
				missing := "fa"
				if en == "" {
					missing = "en"
				}
				t.Errorf("%s: %q is empty but the other language is not", path, missing)
			}
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(path+"."+k, x[k])
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		}
	}
	walk("$", doc)
}
