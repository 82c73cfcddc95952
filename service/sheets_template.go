package service

import (
	"context"
	"io"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/sheet"
	"github.com/pishran/pishran/store"
)

// SheetTemplate writes a downloadable XLSX template. The registry template
// (kind SheetRegistry) is the secretariat's, its drop-down lists filled
// from the registry. The figures template (SheetFigures) is an agency's:
// its own projects only, each with a reports row and a row per milestone
// and indicator, for the month before this one (the month a report is
// usually due for). An agency's focal point gets its own agency's; the
// secretariat names the agency.
func (s *Service) SheetTemplate(ctx context.Context, a Actor, kind, agency string, w io.Writer) error {
	switch kind {
	case SheetRegistry:
		if err := a.mustBeSecretariat(); err != nil {
			return err
		}
		var known sheet.Known
		if err := s.db.View(ctx, func(tx *store.Tx) (err error) { known, err = registryKnown(tx); return err }); err != nil {
			return err
		}
		return sheet.RegistryTemplate(w, sheet.TemplateOptions{Known: known})
	case SheetFigures:
	default:
		return domain.Invalid("kind", "الگو یا registry است یا figures", "the template is registry or figures")
	}
	if err := a.mustWrite(); err != nil {
		return err
	}
	switch {
	case a.Role == RoleAgency:
		agency = a.Agency
	case !a.isSecretariat():
		return domain.Forbidden("الگوی گزارش ماهانه از آن دستگاه‌هاست", "the figures template is an agency's")
	case agency == "":
		return domain.Invalid("agency", "دستگاه الگو را نام ببرید", "name the agency whose template it is")
	}
	var o sheet.TemplateOptions
	err := s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.Agency(agency); err != nil {
			return err
		}
		viewer := domain.Viewer{Agency: agency, Staff: true}
		if a.isSecretariat() {
			viewer = a.Viewer()
		}
		rs, err := tx.SheetProjects(viewer, agency)
		if err != nil {
			return err
		}
		for _, r := range rs {
			o.Known.Projects = append(o.Known.Projects, sheet.Ref{ID: r.Key, Name: r.Name})
			line := sheet.FigureLine{Project: r.Key}
			ms, err := tx.Milestones(r.Key)
			if err != nil {
				return err
			}
			for _, m := range ms {
				line.Milestones = append(line.Milestones, m.Title.In("fa"))
			}
			ks, err := tx.KPIs(r.Key)
			if err != nil {
				return err
			}
			for _, k := range ks {
				line.KPIs = append(line.KPIs, k.Name.In("fa"))
			}
			o.Figures = append(o.Figures, line)
		}
		p := domain.PeriodOf(txDay(tx))
		y, m := p.Year(), p.Month()-1
		if m == 0 {
			y, m = y-1, 12
		}
		o.Period = sheet.Month{Year: y, Month: m}
		return nil
	})
	if err != nil {
		return err
	}
	return sheet.FiguresTemplate(w, o)
}

// ConsoleActor is the operator at the console acting as the account
// username (pishran sheet import --as): what that person may do, no more.
// An inactive account acts as no one.
func (s *Service) ConsoleActor(ctx context.Context, username string) (Actor, error) {
	u, err := s.User(ctx, System, username)
	if err != nil {
		return Actor{}, err
	}
	if !u.Active {
		return Actor{}, domain.Forbidden("این حساب غیرفعال است", "the account is inactive")
	}
	return Actor{Name: "user:" + u.Username, Role: Role(u.Role), Agency: u.Agency}, nil
}
