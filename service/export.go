package service

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Export returns the whole registry as one document, confidential records
// included: it is the operator's backup and migration format, not a public
// surface.
func (s *Service) Export(ctx context.Context, a Actor) (*domain.Document, error) {
	if a.Role != RoleAdmin {
		return nil, domain.Forbidden("برون‌بری کامل فقط برای مدیر است", "only an admin may export the whole registry")
	}
	doc := &domain.Document{Format: domain.DocumentFormat, Version: domain.DocumentVersion,
		Title: domain.T("برون‌بری ثبت پروژه‌های پیشران", "Pishran registry export")}
	all := domain.Viewer{All: true, Staff: true}
	err := s.db.View(ctx, func(tx *store.Tx) error {
		terms, err := tx.Terms()
		if err != nil {
			return err
		}
		for _, t := range terms {
			t.Meta = domain.Meta{}
			doc.Terms = append(doc.Terms, *t)
		}
		for x, err := range domain.Walk(tx.Agencies, agencyKey) {
			if err != nil {
				return err
			}
			x.Meta = domain.Meta{}
			doc.Agencies = append(doc.Agencies, *x)
		}
		for x, err := range domain.Walk(tx.Laws, lawKey) {
			if err != nil {
				return err
			}
			x.Meta = domain.Meta{}
			doc.Laws = append(doc.Laws, *x)
		}
		projects := func(p domain.Page) ([]*domain.Project, error) { return tx.Projects(domain.ProjectFilter{}, all, p) }
		for x, err := range domain.Walk(projects, projectKey) {
			if err != nil {
				return err
			}
			x.Meta = domain.Meta{}
			doc.Projects = append(doc.Projects, *x)
		}
		programs := func(p domain.Page) ([]domain.ProgramRow, error) { return tx.Programs(all, p) }
		for x, err := range domain.Walk(programs, programKey) {
			if err != nil {
				return err
			}
			x.Meta = domain.Meta{}
			doc.Programs = append(doc.Programs, *x.Program)
		}
		events, err := tx.AllEvents()
		if err != nil {
			return err
		}
		// Events are numbered 1..n in the document, so that a document does
		// not depend on the ids one database happened to hand out.
		ordinal := map[int64]int64{}
		for i, e := range events {
			ordinal[e.ID] = int64(i + 1)
			e.ID = int64(i + 1)
			if e.Voids != 0 {
				e.Voids = ordinal[e.Voids]
			}
			if hidesAccounts(a) {
				e.RecordedBy = "" // anonymity.go
			}
			doc.Events = append(doc.Events, *e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if doc.Terms == nil {
		doc.Terms = []domain.Term{}
	}
	if doc.Agencies == nil {
		doc.Agencies = []domain.Agency{}
	}
	if doc.Laws == nil {
		doc.Laws = []domain.Law{}
	}
	if doc.Projects == nil {
		doc.Projects = []domain.Project{}
	}
	if doc.Programs == nil {
		doc.Programs = []domain.Program{}
	}
	if doc.Events == nil {
		doc.Events = []domain.MembershipEvent{}
	}
	return doc, nil
}

// Import loads a whole document into an empty registry, in one transaction:
// either all of it lands or none of it does. Membership events are taken as
// the historical record they are; designation rules are not re-run on them.
func (s *Service) Import(ctx context.Context, a Actor, doc *domain.Document) error {
	if a.Role != RoleAdmin {
		return domain.Forbidden("درون‌بری فقط برای مدیر است", "only an admin may import a registry")
	}
	if doc.Format != domain.DocumentFormat {
		return domain.Invalid("format", "قالب سند باید "+domain.DocumentFormat+" باشد", "the document format must be "+domain.DocumentFormat)
	}
	if doc.Version != domain.DocumentVersion {
		return domain.Invalid("version", "نسخه قالب سند پشتیبانی نمی‌شود", "unsupported document version "+strconv.Itoa(doc.Version))
	}
	if err := validateDocument(doc); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		empty, err := tx.IsEmpty()
		if err != nil {
			return err
		}
		if !empty {
			return domain.Conflict("", "پایگاه داده خالی نیست؛ درون‌بری فقط در پایگاه خالی انجام می‌شود",
				"the database is not empty; import only loads into an empty registry")
		}
		before, err := keysOf(tx, importedKinds)
		if err != nil {
			return err
		}
		for i := range doc.Terms {
			if err := prefix(fmt.Sprintf("terms[%d]", i), tx.InsertTerm(&doc.Terms[i])); err != nil {
				return err
			}
		}
		for _, i := range parentsFirst(doc.Agencies) {
			if err := prefix(fmt.Sprintf("agencies[%d]", i), tx.InsertAgency(&doc.Agencies[i])); err != nil {
				return err
			}
		}
		for i := range doc.Laws {
			if err := prefix(fmt.Sprintf("laws[%d]", i), tx.InsertLaw(&doc.Laws[i])); err != nil {
				return err
			}
		}
		for i := range doc.Projects {
			if err := prefix(fmt.Sprintf("projects[%d]", i), tx.InsertProjectShell(&doc.Projects[i])); err != nil {
				return err
			}
		}
		for i := range doc.Projects {
			if err := prefix(fmt.Sprintf("projects[%d]", i), tx.SetProjectLinks(&doc.Projects[i])); err != nil {
				return err
			}
		}
		for i := range doc.Programs {
			if err := checkPassed(&doc.Programs[i]); err != nil {
				return prefix(fmt.Sprintf("programs[%d]", i), err)
			}
			if err := prefix(fmt.Sprintf("programs[%d]", i), tx.InsertProgram(&doc.Programs[i])); err != nil {
				return err
			}
		}
		ids := map[int64]int64{}
		for i := range doc.Events {
			e := doc.Events[i] // copy: the caller's document keeps its own ids
			f := fmt.Sprintf("events[%d]", i)
			if e.Voids != 0 {
				id, ok := ids[e.Voids]
				if !ok {
					return domain.Invalid(f+".voids", "رویداد باطل‌شونده باید پیش‌تر در سند آمده باشد", "a voided event must come earlier in the document")
				}
				e.Voids = id
			}
			docID := e.ID
			if err := prefix(f, tx.AppendEvent(&e)); err != nil {
				return err
			}
			ids[docID] = e.ID
		}
		// One entry for the whole load: the document itself is the record
		// of what came in; seals give each record's state.
		if err := tx.Audit("import", "registry", doc.Title.EN, nil, map[string]int{"terms": len(doc.Terms),
			"agencies": len(doc.Agencies), "laws": len(doc.Laws), "projects": len(doc.Projects),
			"programs": len(doc.Programs), "events": len(doc.Events)}); err != nil {
			return err
		}
		return sealNew(tx, importedKinds, before, "import")
	})
}

// importedKinds are the kinds of record an import loads.
var importedKinds = []string{"term", "agency", "law", "project", "program", "membership"}

func validateDocument(doc *domain.Document) error {
	for i := range doc.Terms {
		if err := prefix(fmt.Sprintf("terms[%d]", i), doc.Terms[i].Validate()); err != nil {
			return err
		}
	}
	for i := range doc.Agencies {
		if err := prefix(fmt.Sprintf("agencies[%d]", i), doc.Agencies[i].Validate()); err != nil {
			return err
		}
	}
	for i := range doc.Laws {
		if err := prefix(fmt.Sprintf("laws[%d]", i), doc.Laws[i].Validate()); err != nil {
			return err
		}
	}
	for i := range doc.Projects {
		if err := prefix(fmt.Sprintf("projects[%d]", i), doc.Projects[i].Validate()); err != nil {
			return err
		}
	}
	for i := range doc.Programs {
		if err := prefix(fmt.Sprintf("programs[%d]", i), doc.Programs[i].Validate()); err != nil {
			return err
		}
	}
	seen := map[int64]bool{}
	for i := range doc.Events {
		e := &doc.Events[i]
		f := fmt.Sprintf("events[%d]", i)
		if e.ID <= 0 || seen[e.ID] {
			return domain.Invalid(f+".id", "شناسه رویداد باید مثبت و یکتا باشد", "event ids must be positive and unique")
		}
		seen[e.ID] = true
		if e.RecordedBy == "" {
			return domain.Invalid(f+".recorded_by", "ثبت‌کننده رویداد مشخص نیست", "who recorded the event is required")
		}
		if err := prefix(f, e.Validate()); err != nil {
			return err
		}
	}
	return nil
}

// prefix puts a document path in front of an error's field.
func prefix(path string, err error) error {
	if e, ok := domain.AsError(err); ok {
		c := *e
		if c.Field == "" {
			c.Field = path
		} else {
			c.Field = path + "." + c.Field
		}
		return &c
	}
	return err
}

// parentsFirst orders agencies so each comes after its parent; an agency
// whose parent is missing from the document keeps its place and fails on
// insert with a clear error.
func parentsFirst(as []domain.Agency) []int {
	idx := map[string]int{}
	for i, a := range as {
		idx[a.Code] = i
	}
	depth := make([]int, len(as))
	for i := range as {
		d, cur := 0, as[i].Parent
		for cur != "" && d <= len(as) {
			j, ok := idx[cur]
			if !ok {
				break
			}
			d++
			cur = as[j].Parent
		}
		depth[i] = d
	}
	order := make([]int, len(as))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return depth[order[x]] < depth[order[y]] })
	return order
}
