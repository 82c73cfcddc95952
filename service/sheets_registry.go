package service

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/sheet"
	"github.com/pishran/pishran/store"
)

// A registry import creates agencies, laws, projects (with their
// agencies, mandates and deliverables) and memberships, and adds
// deliverables to projects already recorded. It changes no record it does
// not say it changes: an agency or law already recorded with the same
// values is "unchanged", with other values an issue at its row (change it
// on its page); a project slug already taken is an issue.

// registryPlan is what a checked registry file would do.
type registryPlan struct {
	agencies    []domain.Agency
	laws        []domain.Law
	projects    []domain.Project
	extended    []*domain.Project // recorded projects given more deliverables
	before      map[string]*domain.Project
	memberships []domain.MembershipEvent
	items       []SheetItem
}

// registryKnown is what a registry file may name.
func registryKnown(tx *store.Tx) (sheet.Known, error) {
	var k sheet.Known
	conv := func(rs []store.SheetRef, err error) ([]sheet.Ref, error) {
		out := make([]sheet.Ref, len(rs))
		for i, r := range rs {
			out[i] = sheet.Ref{ID: r.Key, Name: r.Name}
		}
		return out, err
	}
	var err error
	if k.Agencies, err = conv(tx.SheetAgencies()); err != nil {
		return k, err
	}
	if k.Laws, err = conv(tx.SheetLaws()); err != nil {
		return k, err
	}
	if k.Projects, err = conv(tx.SheetProjects(domain.Viewer{All: true, Staff: true}, "")); err != nil {
		return k, err
	}
	k.Programs, err = conv(tx.SheetPrograms())
	return k, err
}

func ids(rs []sheet.Ref) map[string]bool {
	out := make(map[string]bool, len(rs))
	for _, r := range rs {
		out[r.ID] = true
	}
	return out
}

func checkRegistry(tx *store.Tx, a Actor, b *sheet.Book) (*sheet.Report, sheetPlan, error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, nil, err
	}
	known, err := registryKnown(tx)
	if err != nil {
		return nil, nil, err
	}
	reg, rep := sheet.ReadRegistry(b, known)
	p := &registryPlan{before: map[string]*domain.Project{}}
	item := func(op, kind, key string, title domain.Text, loc sheet.Loc, detail domain.Text) {
		p.items = append(p.items, SheetItem{Op: op, Kind: kind, Key: key, Title: title, Detail: detail, Sheet: loc.Sheet, Row: loc.Row})
	}
	agencies, laws, projects := ids(known.Agencies), ids(known.Laws), ids(known.Projects)
	for _, r := range reg.Agencies {
		if agencies[r.Code] {
			old, err := tx.Agency(r.Code)
			if err != nil {
				return nil, nil, err
			}
			if old.Name == r.Name && old.Kind == r.Kind && old.Parent == r.Parent {
				item("unchanged", "agency", r.Code, r.Name, r.Loc, domain.Text{})
				continue
			}
			rep.Add(r.Loc, "code", recordedOtherwise(domain.T("دستگاهی", "an agency"), old.Name))
			continue
		}
		p.agencies = append(p.agencies, r.Agency)
		item("create", "agency", r.Code, r.Name, r.Loc, domain.Text{})
	}
	for _, r := range reg.Laws {
		if laws[r.Slug] {
			old, err := tx.Law(r.Slug)
			if err != nil {
				return nil, nil, err
			}
			if sameLaw(old, &r.Law) {
				item("unchanged", "law", r.Slug, r.Title, r.Loc, domain.Text{})
				continue
			}
			rep.Add(r.Loc, "slug", recordedOtherwise(domain.T("قانونی", "a law"), old.Title))
			continue
		}
		p.laws = append(p.laws, r.Law)
		item("create", "law", r.Slug, r.Title, r.Loc, domain.Text{})
	}
	for _, r := range reg.Projects {
		if projects[r.Slug] {
			rep.Add(r.Loc, "slug", domain.T("پروژه‌ای با این شناسه پیش‌تر ثبت شده است؛ ورود از صفحه‌گسترده پروژه تازه می‌سازد و پروژه ثبت‌شده را در صفحه خودش ویرایش کنید",
				"a project with this slug is already recorded: an import creates new projects; edit a recorded one on its page"))
			continue
		}
		p.projects = append(p.projects, r.Project)
		detail := domain.Text{}
		if n := len(r.Deliverables); n > 0 {
			detail = domain.T("با "+jalali.PersianDigits(strconv.Itoa(n))+" دستاورد", "with "+strconv.Itoa(n)+" deliverables")
		}
		item("create", "project", r.Slug, r.Title, r.Loc, detail)
	}
	// Deliverables for recorded projects, by project, in file order.
	byProject := map[string][]sheet.DeliverableRow{}
	var order []string
	for _, d := range reg.Deliverables {
		if byProject[d.Project] == nil {
			order = append(order, d.Project)
		}
		byProject[d.Project] = append(byProject[d.Project], d)
	}
	for _, slug := range order {
		ds := byProject[slug]
		old, err := tx.Project(slug, a.Viewer())
		if err != nil {
			return nil, nil, err
		}
		np := *old
		np.Deliverables = append(append([]domain.Deliverable{}, old.Deliverables...), make([]domain.Deliverable, 0, len(ds))...)
		for _, d := range ds {
			np.Deliverables = append(np.Deliverables, d.Deliverable)
		}
		if err := np.Validate(); err != nil {
			e, _ := domain.AsError(err)
			loc, key := ds[0].Loc, ""
			if e != nil {
				if i, rest, ok := fieldIndex(e.Field, "deliverables"); ok && i >= len(old.Deliverables) && i-len(old.Deliverables) < len(ds) {
					loc, key = ds[i-len(old.Deliverables)].Loc, deliverableColumn(rest)
				}
				rep.Add(loc, key, e.Message)
			} else {
				rep.Add(loc, key, domain.T(err.Error(), err.Error()))
			}
			continue
		}
		p.extended = append(p.extended, &np)
		p.before[slug] = old
		for _, d := range ds {
			p.items = append(p.items, SheetItem{Op: "update", Kind: "deliverable", Key: slug, Title: d.Title,
				Detail: domain.T("دستاورد تازه برای پروژه «"+old.Title.In("fa")+"»", "a new deliverable of the project "+strconv.Quote(old.Title.In("en"))),
				Sheet: d.Sheet, Row: d.Row, Version: old.Version})
		}
	}
	if len(reg.Memberships) > 0 {
		have, err := tx.SheetMemberships()
		if err != nil {
			return nil, nil, err
		}
		for _, r := range reg.Memberships {
			if have[[2]string{r.Program, r.Project}] {
				rep.Add(r.Loc, "project", domain.T("این پروژه پیش‌تر در این فهرست ثبت شده است؛ تغییر جایگاهش را در صفحه فهرست ثبت کنید",
					"this project already has a standing in this program: record changes to it on the program's page"))
				continue
			}
			e := r.MembershipEvent
			e.RecordedBy = a.Name
			p.memberships = append(p.memberships, e)
			item("create", "membership", r.Program+"/"+r.Project, domain.T(r.Project, r.Project), r.Loc,
				domain.T("ورود به فهرست "+r.Program, "enters the program "+r.Program))
		}
	}
	rep.Sort()
	return rep, p, nil
}

// recordedOtherwise is the issue of a row naming a record already kept
// with other values.
func recordedOtherwise(what, name domain.Text) domain.Text {
	return domain.T(what.FA+" با این شناسه با مقادیر دیگری ثبت شده است («"+name.In("fa")+"»)؛ ورود از صفحه‌گسترده رکورد ثبت‌شده را تغییر نمی‌دهد: آن را در صفحه خودش ویرایش کنید یا این سطر را بردارید",
		what.EN+" with this identifier is recorded with other values ("+strconv.Quote(name.In("en"))+"): an import does not change a recorded one; edit it on its page, or take this row out")
}

func sameLaw(a, b *domain.Law) bool {
	if a.Title != b.Title || a.Number != b.Number || a.ApprovingBody != b.ApprovingBody || !reflect.DeepEqual(a.Approved, b.Approved) {
		return false
	}
	if len(a.Articles) != len(b.Articles) {
		return false
	}
	for i := range a.Articles {
		if a.Articles[i].Number != b.Articles[i].Number {
			return false
		}
	}
	return true
}

// fieldIndex returns the i in "deliverables[i].title" and the rest.
func fieldIndex(f, prefix string) (int, string, bool) {
	if !strings.HasPrefix(f, prefix+"[") {
		return 0, "", false
	}
	rest := f[len(prefix)+1:]
	j := strings.IndexByte(rest, ']')
	if j < 0 {
		return 0, "", false
	}
	i, err := strconv.Atoi(rest[:j])
	if err != nil {
		return 0, "", false
	}
	return i, strings.TrimPrefix(rest[j+1:], "."), true
}

// deliverableColumn maps a deliverable's field to its column key.
func deliverableColumn(f string) string {
	switch {
	case strings.HasPrefix(f, "title"):
		return "title_fa"
	case strings.HasPrefix(f, "indicator"):
		return "indicator_fa"
	case f == "target" || f == "due":
		return f
	}
	return ""
}

func (p *registryPlan) preview() *SheetPreview { return newPreview(p.items) }

// apply writes the plan: parents before the agencies under them, laws
// before the mandates that cite them, projects before their memberships.
// New records are sealed in bulk, as an import's are (sealNew); a
// recorded project given deliverables is audited as its update.
func (p *registryPlan) apply(tx *store.Tx, s *Service, a Actor) error {
	kinds := []string{"agency", "law", "project", "membership"}
	before, err := keysOf(tx, kinds)
	if err != nil {
		return err
	}
	for _, i := range parentsFirst(p.agencies) {
		if err := tx.InsertAgency(&p.agencies[i]); err != nil {
			return err
		}
	}
	for i := range p.laws {
		if err := tx.InsertLaw(&p.laws[i]); err != nil {
			return err
		}
	}
	for i := range p.projects {
		if err := tx.InsertProject(&p.projects[i]); err != nil {
			return err
		}
	}
	for _, np := range p.extended {
		old := p.before[np.Slug]
		if err := tx.UpdateProject(np); err != nil {
			return err
		}
		if err := auditState(tx, "update", "project", np.Slug, old); err != nil {
			return err
		}
	}
	for i := range p.memberships {
		if err := tx.AppendEvent(&p.memberships[i]); err != nil {
			return err
		}
	}
	return sealNew(tx, kinds, before, "sheet import")
}
