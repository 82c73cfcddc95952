package service

import (
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/sheet"
	"github.com/pishran/pishran/store"
)

// A figures import is an agency's monthly figures: one draft progress
// report per project and Jalali month, with its milestones' progress and
// indicators' values, by their recorded titles. The agency names only the
// projects it takes part in (a row naming another is an issue at its
// cell); a month whose report is still a draft (or was returned) has that
// report replaced; a month already submitted or accepted is an issue.

// figuresPlan is what a checked figures file would do.
type figuresPlan struct {
	creates []*domain.Report
	updates []*domain.Report // ID and Version of the report replaced
	items   []SheetItem
}

// agencyProjects is what the agency may report on.
func agencyProjects(tx *store.Tx, a Actor) ([]sheet.Ref, error) {
	rs, err := tx.SheetProjects(a.Viewer(), a.Agency)
	out := make([]sheet.Ref, len(rs))
	for i, r := range rs {
		out[i] = sheet.Ref{ID: r.Key, Name: r.Name}
	}
	return out, err
}

// titled resolves a milestone's or indicator's title to its id.
type titled map[string]int64

func (t titled) add(id int64, name domain.Text) {
	for _, n := range []string{name.FA, name.EN} {
		if k := sheet.Key(n); k != "" {
			if _, dup := t[k]; !dup {
				t[k] = id
			}
		}
	}
}

func checkFigures(tx *store.Tx, a Actor, b *sheet.Book) (*sheet.Report, sheetPlan, error) {
	if err := a.mustReport(); err != nil {
		return nil, nil, err
	}
	own, err := agencyProjects(tx, a)
	if err != nil {
		return nil, nil, err
	}
	figs, rep := sheet.ReadFigures(b, sheet.Known{Projects: own})
	existing, err := tx.SheetReports(a.Agency)
	if err != nil {
		return nil, nil, err
	}
	titles := map[string]domain.Text{}
	for _, r := range own {
		titles[r.ID] = r.Name
	}
	today := txDay(tx)
	milestones, kpis := map[string]titled{}, map[string]titled{}
	names := map[string][2][]string{} // each project's milestone and indicator titles, for the message
	p := &figuresPlan{}
	for _, f := range figs.Figures {
		if milestones[f.Project] == nil {
			ms, err := tx.Milestones(f.Project)
			if err != nil {
				return nil, nil, err
			}
			ks, err := tx.KPIs(f.Project)
			if err != nil {
				return nil, nil, err
			}
			mt, kt, nm := titled{}, titled{}, [2][]string{}
			for _, m := range ms {
				mt.add(m.ID, m.Title)
				nm[0] = append(nm[0], m.Title.In("fa"))
			}
			for _, k := range ks {
				kt.add(k.ID, k.Name)
				nm[1] = append(nm[1], k.Name.In("fa"))
			}
			milestones[f.Project], kpis[f.Project], names[f.Project] = mt, kt, nm
		}
		ok := true
		if today.Before(f.Period.Start()) {
			rep.Add(f.Loc, "period", domain.T("ماه «"+f.Period.FA()+"» هنوز آغاز نشده است و گزارشش را نمی‌توان داد",
				"the month "+f.Period.EN()+" has not begun yet, so it cannot be reported on"))
			ok = false
		}
		r := &domain.Report{Project: f.Project, Agency: a.Agency, Period: domain.Period(f.Period.String()), Narrative: f.Narrative,
			ProjectedEnd: f.ProjectedEnd, ProjectedCost: f.ProjectedCost, ActualCost: f.ActualCost,
			Milestones: []domain.MilestoneProgress{}, KPIs: []domain.KPIValue{}, Risks: []domain.Risk{}}
		for _, m := range f.Milestones {
			id, found := milestones[f.Project][sheet.Key(m.Milestone)]
			if !found {
				rep.Add(m.Loc, "milestone", unknownTitle(domain.T("نقطه عطفی", "milestone"), m.Milestone, names[f.Project][0]))
				ok = false
				continue
			}
			if m.Done != nil && today.Before(*m.Done) {
				rep.Add(m.Loc, "done", domain.T("این تاریخ هنوز نرسیده است", "this date is in the future"))
				ok = false
			}
			r.Milestones = append(r.Milestones, domain.MilestoneProgress{Milestone: id, Percent: m.Percent, Done: m.Done})
		}
		for _, k := range f.KPIs {
			id, found := kpis[f.Project][sheet.Key(k.KPI)]
			if !found {
				rep.Add(k.Loc, "kpi", unknownTitle(domain.T("شاخصی", "indicator"), k.KPI, names[f.Project][1]))
				ok = false
				continue
			}
			r.KPIs = append(r.KPIs, domain.KPIValue{KPI: id, Value: k.Value})
		}
		for _, k := range f.Risks {
			r.Risks = append(r.Risks, k.Risk)
		}
		ex, had := existing[f.Project+"\x00"+string(r.Period)]
		if had && !ex.State.Editable() {
			rep.Add(f.Loc, "period", domain.T("گزارش این پروژه برای «"+f.Period.FA()+"» پیش‌تر فرستاده شده است (وضعیت: "+stateFA(ex.State)+") و با ورود از صفحه‌گسترده تغییر نمی‌کند",
				"the report on this project for "+f.Period.EN()+" was already submitted (state: "+string(ex.State)+") and an import does not change it"))
			ok = false
		}
		if err := r.Validate(); err != nil {
			e, _ := domain.AsError(err)
			if e != nil {
				rep.Add(f.Loc, "", e.Message)
			} else {
				rep.Add(f.Loc, "", domain.T(err.Error(), err.Error()))
			}
			ok = false
		}
		if !ok {
			continue
		}
		title := titles[f.Project]
		detail := domain.T(
			f.Period.FA()+"، "+jalali.PersianDigits(strconv.Itoa(len(r.Milestones)))+" نقطه عطف، "+jalali.PersianDigits(strconv.Itoa(len(r.KPIs)))+" شاخص، "+jalali.PersianDigits(strconv.Itoa(len(r.Risks)))+" ریسک",
			f.Period.EN()+", "+strconv.Itoa(len(r.Milestones))+" milestones, "+strconv.Itoa(len(r.KPIs))+" indicators, "+strconv.Itoa(len(r.Risks))+" risks")
		it := SheetItem{Op: "create", Kind: "report", Key: f.Project + "/" + string(r.Period), Title: title, Detail: detail, Sheet: f.Sheet, Row: f.Row}
		if had {
			r.ID, r.Version, r.State = ex.ID, ex.Version, ex.State
			it.Op, it.Version = "update", ex.Version
			it.Detail = domain.T(detail.FA+" — جای پیش‌نویس موجود را می‌گیرد", detail.EN+" — replaces the draft already recorded")
			p.updates = append(p.updates, r)
		} else {
			p.creates = append(p.creates, r)
		}
		p.items = append(p.items, it)
	}
	rep.Sort()
	return rep, p, nil
}

// unknownTitle is the issue of a milestone or indicator the project does
// not have, naming the ones it has.
func unknownTitle(what domain.Text, got string, have []string) domain.Text {
	list := strings.Join(have, "، ")
	if len(have) > 8 {
		list = strings.Join(have[:8], "، ") + "، …"
	}
	if list == "" {
		return domain.T("«"+got+"»: این پروژه هنوز هیچ "+what.FA+" ثبت‌شده‌ای ندارد",
			strconv.Quote(got)+": the project has no "+what.EN+" recorded yet")
	}
	return domain.T("«"+got+"»: این پروژه "+what.FA+" با این عنوان ندارد؛ ثبت‌شده‌ها: "+list,
		strconv.Quote(got)+": the project has no "+what.EN+" with this title; recorded: "+list)
}

func stateFA(s domain.ReportState) string {
	switch s {
	case domain.ReportSubmitted:
		return "فرستاده‌شده"
	case domain.ReportAccepted:
		return "پذیرفته‌شده"
	}
	return string(s)
}

func (p *figuresPlan) preview() *SheetPreview { return newPreview(p.items) }

// apply records each report as a draft of the agency (or replaces the
// draft already there), each audited as its own create or update would be.
func (p *figuresPlan) apply(tx *store.Tx, s *Service, a Actor) error {
	for _, r := range p.creates {
		if err := tx.InsertReport(r, a.Name); err != nil {
			return err
		}
		if err := auditState(tx, "create", "report", strconv.FormatInt(r.ID, 10), nil); err != nil {
			return err
		}
	}
	for _, r := range p.updates {
		old, err := tx.Report(r.ID, a.Viewer())
		if err != nil {
			return err
		}
		if err := tx.UpdateReport(r, a.Name); err != nil {
			return err
		}
		if err := auditState(tx, "update", "report", strconv.FormatInt(r.ID, 10), old); err != nil {
			return err
		}
	}
	return nil
}
