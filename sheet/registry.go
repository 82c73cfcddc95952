package sheet

import (
	"fmt"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
)

// Ref is a record the file may name: its identifier and its name.
type Ref struct {
	ID   string      `json:"id"`
	Name domain.Text `json:"name"`
}

// Known holds the records already in the registry that a file may refer to
// (and that the templates offer in their drop-down lists). For a figures
// import, Projects must hold only the projects the importing person may
// report on: an agency then can name no other agency's project.
type Known struct {
	Agencies []Ref
	Laws     []Ref
	Projects []Ref
	Programs []Ref
}

// refs resolves what a cell names to an identifier: the identifier itself,
// "name (id)" as the drop-down lists write it, or a name in either language.
type refs struct {
	ids   map[string]bool
	names map[string]string
}

func newRefs(known []Ref) *refs {
	rs := &refs{ids: map[string]bool{}, names: map[string]string{}}
	for _, r := range known {
		rs.define(r.ID, r.Name)
	}
	return rs
}

func (rs *refs) define(id string, name domain.Text) {
	if id == "" {
		return
	}
	rs.ids[id] = true
	for _, n := range []string{name.FA, name.EN} {
		if k := Key(n); k != "" {
			if _, taken := rs.names[k]; !taken {
				rs.names[k] = id
			}
		}
	}
}

func (rs *refs) resolve(v string) (string, bool) {
	try := []string{v}
	if m := parenthesised.FindStringSubmatch(v); m != nil {
		try = []string{m[2], m[1], v}
	}
	for _, t := range try {
		if id := CleanID(t); rs.ids[id] {
			return id, true
		}
		if id, ok := rs.names[Key(t)]; ok {
			return id, true
		}
	}
	return "", false
}

// ref reads a reference cell; an unknown record is an issue.
func (r *row) ref(key string, rs *refs, what domain.Text) string {
	v := r.raw(key)
	if v == "" {
		return ""
	}
	id, ok := rs.resolve(v)
	if !ok {
		r.fail(key, domain.T("«"+v+"»: "+what.FA+" با این شناسه یا نام ثبت نشده است",
			"\""+v+"\": no "+what.EN+" with this identifier or name is recorded"))
	}
	return id
}

func (r *row) refList(key string, rs *refs, what domain.Text) []string {
	var out []string
	for _, v := range split(r.raw(key), refSeps) {
		id, ok := rs.resolve(v)
		if !ok {
			r.fail(key, domain.T("«"+v+"»: "+what.FA+" با این شناسه یا نام ثبت نشده است",
				"\""+v+"\": no "+what.EN+" with this identifier or name is recorded"))
			continue
		}
		out = append(out, id)
	}
	return out
}

var (
	anAgency = domain.T("دستگاهی", "agency")
	aLaw     = domain.T("قانونی", "law")
	aProject = domain.T("پروژه‌ای", "project")
	aProgram = domain.T("فهرستی", "program")
)

func (r *row) duplicate(key string, first int) {
	r.fail(key, domain.T("تکراری است: همین شناسه در سطر "+jalali.PersianDigits(fmt.Sprint(first))+" هم آمده است",
		fmt.Sprintf("duplicate: the same identifier is on row %d too", first)))
}

// Registry is what a registry workbook holds, each record with where it was
// read. Records of rows with issues are left out; read the Report first.
type Registry struct {
	Agencies     []AgencyRow
	Laws         []LawRow
	Projects     []ProjectRow
	Deliverables []DeliverableRow // for projects already recorded, not on the projects sheet
	Memberships  []MembershipRow
}

type AgencyRow struct {
	Loc
	domain.Agency
}

type LawRow struct {
	Loc
	domain.Law
}

// ProjectRow is a project with the deliverables the deliverables sheet gave
// it; DeliverableLocs[i] is where Deliverables[i] was read.
type ProjectRow struct {
	Loc
	domain.Project
	DeliverableLocs []Loc
}

type DeliverableRow struct {
	Loc
	Project string
	domain.Deliverable
}

// MembershipRow is an "entered" membership event.
type MembershipRow struct {
	Loc
	domain.MembershipEvent
}

// match binds each schema to the table that holds it: by sheet name in
// either language, else (a CSV file, a renamed sheet) by its headers.
func match(b *Book, schemas []*Schema, rep *Report) map[string]*bound {
	out := map[string]*bound{}
	rep.order = map[string]int{}
	used := map[*Table]bool{}
	for i, t := range b.Tables {
		rep.order[t.Name] = i
	}
	for _, s := range schemas {
		for _, t := range b.Tables {
			k := Key(t.Name)
			if !used[t] && (k == Key(s.Key) || k == Key(s.Name.FA) || k == Key(s.Name.EN) || k == Key(s.Name.FA+" / "+s.Name.EN)) {
				used[t] = true
				if bd := bind(b, t, s, rep); bd != nil {
					out[s.Key] = bd
				}
				break
			}
		}
	}
	for _, t := range b.Tables {
		if used[t] || skipSheet(t.Name) {
			continue
		}
		best, bestHits := (*Schema)(nil), 0
		for _, s := range schemas {
			if out[s.Key] != nil {
				continue
			}
			if hits := headerHits(t, s); hits > bestHits {
				best, bestHits = s, hits
			}
		}
		if best != nil {
			if bd := bind(b, t, best, &Report{}); bd != nil { // a sheet that is not one of ours stays quiet
				rep.sheet(t.Name, bd.first, bd.data)
				used[t] = true
				out[best.Key] = bd
			}
		}
	}
	return out
}

// headerHits counts the required columns of s named in t's top rows.
func headerHits(t *Table, s *Schema) int {
	idx := headerIndex(s)
	seen := map[string]bool{}
	for i := 0; i < len(t.Rows) && i < headerScan; i++ {
		for _, c := range t.Rows[i] {
			if k := matchHeader(idx, c); k != "" {
				seen[k] = true
			}
		}
	}
	n := 0
	for _, c := range s.Columns {
		if c.Required && seen[c.Key] {
			n++
		} else if c.Required {
			return 0
		}
	}
	return n + len(seen)
}

// skipSheet reports whether a sheet is one the templates add for people
// (the guide, the lists behind the drop-downs, the error summary).
func skipSheet(name string) bool {
	switch Key(name) {
	case Key(listsSheet), Key(guideSheet), Key(summarySheet):
		return true
	}
	return false
}

// prescan defines the identifiers a sheet's rows declare before any row is
// read, so a row may name one declared further down (a parent agency).
func prescan(bd *bound, idKey string, rs *refs, nameKeys ...string) {
	if bd == nil {
		return
	}
	bd.rows(&Report{}, func(r *row) {
		name := domain.Text{}
		if len(nameKeys) == 2 {
			name = domain.T(CleanText(r.raw(nameKeys[0]), false), CleanText(r.raw(nameKeys[1]), false))
		}
		rs.define(CleanID(r.raw(idKey)), name)
	})
}

// ReadRegistry reads a registry workbook: agencies, laws, projects with
// their agencies and mandates, deliverables and memberships. Every cell is
// checked, and every record is checked by its domain Validate, whose errors
// are reported at the cell of the field at fault. References are resolved
// against the workbook's own sheets and known.
func ReadRegistry(b *Book, known Known) (*Registry, *Report) {
	rep := &Report{}
	bs := match(b, RegistrySheets, rep)
	reg := &Registry{}
	if len(bs) == 0 && rep.OK() {
		name := ""
		if len(b.Tables) > 0 {
			name = b.Tables[0].Name
		}
		rep.add(Issue{Sheet: name, Row: 1, Message: domain.T(
			"هیچ برگه‌ای از الگوی ثبت (دستگاه‌ها، قوانین، پروژه‌ها، دستاوردها، عضویت‌ها) در این پرونده نیست",
			"the file has none of the registry template's sheets (agencies, laws, projects, deliverables, memberships)")})
		return reg, rep
	}
	agencies, laws, projects, programs := newRefs(known.Agencies), newRefs(known.Laws), newRefs(known.Projects), newRefs(known.Programs)
	prescan(bs["agencies"], "code", agencies, "name_fa", "name_en")
	prescan(bs["laws"], "slug", laws, "title_fa", "title_en")
	prescan(bs["projects"], "slug", projects, "title_fa", "title_en")

	if bd := bs["agencies"]; bd != nil {
		seen := map[string]int{}
		bd.rows(rep, func(r *row) {
			a := domain.Agency{Code: r.id("code"), Name: r.pair("name"), Kind: domain.AgencyKind(r.enum("kind")),
				Parent: r.ref("parent", agencies, anAgency)}
			if first, dup := seen[a.Code]; dup && a.Code != "" {
				r.duplicate("code", first)
			} else {
				seen[a.Code] = r.n
			}
			r.validate(a.Validate(), func(f string) string { return fieldKey(AgenciesSheet, f) })
			if !r.bad {
				reg.Agencies = append(reg.Agencies, AgencyRow{r.loc(), a})
			}
		})
	}
	lawArticles := map[string][]domain.Article{}
	if bd := bs["laws"]; bd != nil {
		seen := map[string]int{}
		bd.rows(rep, func(r *row) {
			l := domain.Law{Slug: r.id("slug"), Title: r.pair("title"), Number: CleanText(Digits(r.raw("number")), false),
				ApprovingBody: r.pair("approving_body"), Approved: r.date("approved")}
			for _, a := range r.list("articles") {
				l.Articles = append(l.Articles, domain.Article{Number: a})
			}
			if first, dup := seen[l.Slug]; dup && l.Slug != "" {
				r.duplicate("slug", first)
			} else {
				seen[l.Slug] = r.n
			}
			lawArticles[l.Slug] = l.Articles
			r.validate(l.Validate(), func(f string) string {
				if strings.HasPrefix(f, "articles") {
					return "articles"
				}
				return fieldKey(LawsSheet, f)
			})
			if !r.bad {
				reg.Laws = append(reg.Laws, LawRow{r.loc(), l})
			}
		})
	}
	// Projects are read, then given their deliverables, then validated.
	type pending struct {
		r *row
		p domain.Project
		d []*row
	}
	var ps []*pending
	bySlug := map[string]*pending{}
	if bd := bs["projects"]; bd != nil {
		bd.rows(rep, func(r *row) {
			p := domain.Project{Slug: r.id("slug"), Title: r.pair("title"), Summary: r.pair("summary"), Scope: r.pair("scope"),
				Kind: domain.ProjectKind(r.enum("kind")), Confidentiality: domain.Confidentiality(r.enum("confidentiality")),
				Status: domain.Lifecycle(r.enum("status"))}
			if p.Status == "" {
				p.Status = domain.Proposed
			}
			if lead := r.ref("lead", agencies, anAgency); lead != "" {
				p.Agencies = append(p.Agencies, domain.Participation{Agency: lead, Role: domain.RoleLead})
			}
			for _, a := range r.refList("participants", agencies, anAgency) {
				p.Agencies = append(p.Agencies, domain.Participation{Agency: a, Role: domain.RoleParticipant})
			}
			for _, m := range r.mandates("mandates") {
				if !laws.ids[m.Law] {
					r.fail("mandates", domain.T("«"+m.Law+"»: قانونی با این شناسه ثبت نشده است", "\""+m.Law+"\": no law with this slug is recorded"))
					continue
				}
				if arts, ok := lawArticles[m.Law]; ok && !(&domain.Law{Articles: arts}).HasArticle(m.Article) {
					r.fail("mandates", domain.T("قانون «"+m.Law+"» ماده «"+m.Article+"» ندارد", "the law \""+m.Law+"\" has no article \""+m.Article+"\""))
					continue
				}
				p.Mandates = append(p.Mandates, m)
			}
			pp := &pending{r: r, p: p}
			if first, dup := bySlug[p.Slug]; dup && p.Slug != "" {
				r.duplicate("slug", first.r.n)
			} else {
				bySlug[p.Slug] = pp
			}
			ps = append(ps, pp)
		})
	}
	if bd := bs["deliverables"]; bd != nil {
		bd.rows(rep, func(r *row) {
			slug := r.ref("project", projects, aProject)
			d := domain.Deliverable{Title: r.pair("title"), Indicator: r.pair("indicator"),
				Target: CleanText(r.raw("target"), false), Due: r.date("due")}
			// Each deliverable is checked alone through the project rule, so
			// every faulty row is reported (Validate stops at the first
			// fault); its project is checked with all of them below.
			probe := domain.Project{Slug: "probe", Title: domain.T("-", "-"), Kind: domain.KindService,
				Confidentiality: domain.Public, Status: domain.Proposed, Deliverables: []domain.Deliverable{d}}
			r.validate(probe.Validate(), func(f string) string {
				_, rest, _ := index(f, "deliverables")
				return fieldKey(DeliverablesSheet, rest)
			})
			if pp := bySlug[slug]; pp != nil {
				pp.p.Deliverables = append(pp.p.Deliverables, d)
				pp.d = append(pp.d, r)
				return
			}
			if !r.bad && slug != "" {
				reg.Deliverables = append(reg.Deliverables, DeliverableRow{r.loc(), slug, d})
			}
		})
	}
	for _, pp := range ps {
		r := pp.r
		err := pp.p.Validate()
		if e, ok := domain.AsError(err); ok {
			if i, rest, ok := index(e.Field, "deliverables"); ok && i < len(pp.d) {
				pp.d[i].validate(err, func(string) string { return fieldKey(DeliverablesSheet, rest) })
				r.bad = true // the project cannot be applied without its deliverable
				err = nil
			}
		}
		r.validate(err, func(f string) string { return projectField(&pp.p, f) })
		bad := r.bad
		for _, d := range pp.d {
			bad = bad || d.bad
		}
		if !bad {
			pr := ProjectRow{Loc: r.loc(), Project: pp.p}
			for _, d := range pp.d {
				pr.DeliverableLocs = append(pr.DeliverableLocs, d.loc())
			}
			reg.Projects = append(reg.Projects, pr)
		}
	}
	if bd := bs["memberships"]; bd != nil {
		seen := map[string]int{}
		bd.rows(rep, func(r *row) {
			e := domain.MembershipEvent{Type: domain.EventEntered, Program: r.ref("program", programs, aProgram),
				Project: r.ref("project", projects, aProject), Stage: domain.Body(r.enum("stage")),
				Main: r.boolean("main"), Date: r.date("entered")}
			k := e.Program + "\x00" + e.Project
			if first, dup := seen[k]; dup && e.Program != "" && e.Project != "" {
				r.fail("project", domain.T(fmt.Sprintf("این پروژه در همین فهرست در سطر %s هم آمده است", jalali.PersianDigits(fmt.Sprint(first))),
					fmt.Sprintf("the same project and program are on row %d too", first)))
			} else {
				seen[k] = r.n
			}
			r.validate(e.Validate(), func(f string) string { return fieldKey(MembershipsSheet, f) })
			if !r.bad {
				reg.Memberships = append(reg.Memberships, MembershipRow{r.loc(), e})
			}
		})
	}
	rep.Sort()
	return reg, rep
}

// projectField maps a project's field path to its column.
func projectField(p *domain.Project, f string) string {
	switch {
	case f == "agencies":
		return "lead"
	case strings.HasPrefix(f, "agencies["):
		i, _, _ := index(f, "agencies")
		if i < len(p.Agencies) && p.Agencies[i].Role == domain.RoleLead {
			return "lead"
		}
		return "participants"
	case strings.HasPrefix(f, "mandates"):
		return "mandates"
	}
	return fieldKey(ProjectsSheet, f)
}

// validate records a domain Validate error at its field's cell, unless that
// cell already has an issue (the same fault, found while reading it).
func (r *row) validate(err error, field func(string) string) {
	if err == nil {
		return
	}
	e, ok := domain.AsError(err)
	if !ok {
		r.fail("", domain.T(err.Error(), err.Error()))
		return
	}
	key := field(e.Field)
	if r.failed[key] {
		return
	}
	r.fail(key, e.Message)
}
