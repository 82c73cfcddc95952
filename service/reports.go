package service

import (
	"context"
	"fmt"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Reports lists the reports the actor may see: until accepted, a report is
// seen only by its agency and the secretariat.
func (s *Service) Reports(ctx context.Context, a Actor, f domain.ReportFilter, p domain.Page) (out []*domain.Report, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = tx.Reports(f, a.Viewer(), p); err != nil {
			return err
		}
		anonReports(a, out...)
		return sealReports(tx, out)
	})
	return out, err
}

// Report returns one report with its review history.
func (s *Service) Report(ctx context.Context, a Actor, id int64) (out *domain.Report, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = tx.Report(id, a.Viewer()); err != nil {
			return err
		}
		anonReports(a, out)
		return sealReports(tx, []*domain.Report{out})
	})
	return out, err
}

// mustReport checks the actor is an agency and may report as agency.
func (a Actor) mustReport() error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	if a.Role != RoleAgency {
		return domain.Forbidden("گزارش پیشرفت را دستگاه اجرایی می‌نویسد و دبیرخانه بررسی می‌کند",
			"progress reports are written by an agency on the project and reviewed by the secretariat")
	}
	return nil
}

// checkReport checks what a report says against the registry: the agency
// is on the project, the period has begun.
func checkReport(tx *store.Tx, a Actor, r *domain.Report) error {
	p, err := seenProject(tx, a, "project", r.Project)
	if err != nil {
		return err
	}
	if !p.HasAgency(a.Agency) {
		return forbiddenAt("project", "دستگاه شما در این پروژه نیست و نمی‌تواند درباره آن گزارش دهد",
			"your agency is not on this project (neither lead nor participant), so it cannot report on it")
	}
	if txDay(tx).Before(r.Period.Start()) {
		return domain.Invalid("period", "این دوره هنوز آغاز نشده است", "this period has not begun yet")
	}
	for i, m := range r.Milestones {
		if err := notAfterToday(tx, "milestones["+strconv.Itoa(i)+"].done", m.Done); err != nil {
			return err
		}
	}
	return nil
}

// CreateReport records a draft report by the actor's agency.
func (s *Service) CreateReport(ctx context.Context, a Actor, r *domain.Report) error {
	if err := a.mustReport(); err != nil {
		return err
	}
	if r.Agency == "" {
		r.Agency = a.Agency
	}
	if r.Agency != a.Agency {
		return forbiddenAt("agency", "هر دستگاه فقط به نام خودش گزارش می‌دهد", "an agency reports only in its own name")
	}
	if err := r.Validate(); err != nil {
		return err
	}
	// The report is checked against the registry on a snapshot, before
	// the write queue; inside it, only that the project is unchanged since,
	// and the write (decide.go).
	return s.decided(ctx, a, decision{
		decide: func(tx *store.Tx) error { return checkReport(tx, a, r) },
		stamp:  func(tx *store.Tx) (string, error) { return tx.ProjectStamp(r.Project) },
		write: func(tx *store.Tx) error {
			if err := tx.InsertReport(r, a.Name); err != nil {
				return err
			}
			got, err := auditReport(tx, "create", r.ID, nil)
			if err == nil {
				*r = *got
			}
			return err
		},
	})
}

// auditReport appends the audit entry of a report just written and
// returns the report as it now stands, read once for both: the state the
// entry records (reportState) is the whole report, what its agency and the
// secretariat — the only writers of a report — are answered.
func auditReport(tx *store.Tx, action string, id int64, before any) (*domain.Report, error) {
	key := strconv.FormatInt(id, 10)
	st, found, err := reportState(tx, key)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("service: the report %d just written cannot be read back", id)
	}
	return st.(*domain.Report), tx.Audit(action, "report", key, before, st)
}

// ownReport loads a report and checks the actor's agency wrote it and the
// actor's version (when given) is current.
func ownReport(tx *store.Tx, a Actor, id, version int64) (*domain.Report, error) {
	old, err := tx.Report(id, a.Viewer())
	if err != nil {
		return nil, err
	}
	if a.Role != RoleAgency || old.Agency != a.Agency {
		return nil, domain.Forbidden("فقط دستگاهی که گزارش را نوشته می‌تواند آن را تغییر دهد یا ارسال کند",
			"only the agency that wrote the report may change or submit it")
	}
	if version != 0 && version != old.Version {
		return nil, domain.Stale("report")
	}
	return old, nil
}

func notEditable(r *domain.Report) error {
	return domain.Conflict("state", "گزارش در وضعیت «"+string(r.State)+"» است و فقط پیش‌نویس یا برگشتی ویرایش می‌شود",
		"the report is "+string(r.State)+": only a draft or returned report can be changed")
}

// UpdateReport replaces a draft or returned report's content; r.Version
// must be the version the caller read.
func (s *Service) UpdateReport(ctx context.Context, a Actor, r *domain.Report) error {
	if err := a.mustReport(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := ownReport(tx, a, r.ID, r.Version)
		if err != nil {
			return err
		}
		if r.Project == "" {
			r.Project = old.Project
		}
		if r.Agency == "" {
			r.Agency = old.Agency
		}
		if r.Project != old.Project {
			return domain.Invalid("project", "پروژه گزارش تغییر نمی‌کند", "a report's project cannot change")
		}
		if r.Agency != old.Agency {
			return domain.Invalid("agency", "دستگاه گزارش تغییر نمی‌کند", "a report's agency cannot change")
		}
		if !old.State.Editable() {
			return notEditable(old)
		}
		if err := r.Validate(); err != nil {
			return err
		}
		if err := checkReport(tx, a, r); err != nil {
			return err
		}
		r.State = old.State
		if err := tx.UpdateReport(r, a.Name); err != nil {
			return err
		}
		got, err := auditReport(tx, "update", r.ID, old)
		if err == nil {
			*r = *got
		}
		return err
	})
}

// SubmitReport sends a draft or returned report to the secretariat.
// version, when not 0, must be the version the caller read.
func (s *Service) SubmitReport(ctx context.Context, a Actor, id, version int64) (out *domain.Report, err error) {
	if err := a.mustReport(); err != nil {
		return nil, err
	}
	// Decided on a snapshot, before the write queue; inside it, the
	// transition on the version read there, which refuses a report changed
	// since (then decided again, unless the caller named the version).
	var old *domain.Report
	err = s.decided(ctx, a, decision{
		decide: func(tx *store.Tx) (err error) {
			if old, err = ownReport(tx, a, id, version); err != nil {
				return err
			}
			if !old.State.Editable() {
				return domain.Conflict("state", "گزارش در وضعیت «"+string(old.State)+"» است و ارسال نمی‌شود",
					"the report is "+string(old.State)+": only a draft or returned report can be submitted")
			}
			return nil
		},
		write: func(tx *store.Tx) (err error) {
			err = tx.Transition(id, old.Version, domain.ReviewEvent{Type: domain.ReviewSubmitted, From: old.State,
				To: domain.ReportSubmitted, By: a.Name})
			if domain.IsKind(err, domain.KindStale) && version == 0 {
				return errDecidedOnStale
			}
			if err != nil {
				return err
			}
			out, err = auditReport(tx, "submit", id, old)
			return err
		},
	})
	return out, err
}

// AcceptReport accepts a submitted report: from now on it counts. comment
// is optional.
func (s *Service) AcceptReport(ctx context.Context, a Actor, id, version int64, comment domain.Text) (*domain.Report, error) {
	return s.review(ctx, a, id, version, domain.ReviewAccepted, domain.ReportAccepted, comment)
}

// ReturnReport sends a submitted report back to its agency, with a
// comment saying what to fix.
func (s *Service) ReturnReport(ctx context.Context, a Actor, id, version int64, comment domain.Text) (*domain.Report, error) {
	if comment.IsZero() {
		if err := a.mustBeSecretariat(); err != nil {
			return nil, err
		}
		return nil, domain.Invalid("comment", "برگرداندن گزارش بدون توضیح ممکن نیست: بگویید چه باید اصلاح شود",
			"returning a report needs a comment saying what to fix")
	}
	return s.review(ctx, a, id, version, domain.ReviewReturned, domain.ReportReturned, comment)
}

func (s *Service) review(ctx context.Context, a Actor, id, version int64, typ string, to domain.ReportState, comment domain.Text) (out *domain.Report, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	if err := domain.ValidText("comment", comment, false); err != nil {
		return nil, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Report(id, a.Viewer())
		if err != nil {
			return err
		}
		if version != 0 && version != old.Version {
			return domain.Stale("report")
		}
		if old.State != domain.ReportSubmitted {
			return domain.Conflict("state", "گزارش در وضعیت «"+string(old.State)+"» است؛ فقط گزارش ارسال‌شده بررسی می‌شود",
				"the report is "+string(old.State)+": only a submitted report can be accepted or returned")
		}
		if err := tx.Transition(id, old.Version, domain.ReviewEvent{Type: typ, From: old.State, To: to,
			Comment: comment, By: a.Name}); err != nil {
			return err
		}
		if out, err = tx.Report(id, a.Viewer()); err != nil {
			return err
		}
		if to == domain.ReportAccepted {
			if err := s.publishReport(tx, a, out); err != nil {
				return err
			}
		}
		if err := auditState(tx, typ, "report", strconv.FormatInt(id, 10), old); err != nil {
			return err
		}
		if err := s.raiseReviewed(tx, out, comment); err != nil {
			return err
		}
		if to == domain.ReportAccepted {
			// The report's word moved its milestones and indicators.
			for _, m := range out.Milestones {
				if err := auditState(tx, "accept-report", "milestone", out.Project+"/"+strconv.FormatInt(m.Milestone, 10),
					map[string]any{"report": id}); err != nil {
					return err
				}
			}
			for _, k := range out.KPIs {
				if err := auditState(tx, "accept-report", "kpi", out.Project+"/"+strconv.FormatInt(k.KPI, 10),
					map[string]any{"report": id}); err != nil {
					return err
				}
			}
		}
		// The answer shows the code just published.
		return sealReports(tx, []*domain.Report{out})
	})
	return out, err
}
