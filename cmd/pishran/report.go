package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// cmdFollowUp runs the follow-up commands: "health PROJECT" and "reports".
// args[0] is the command's name.
func cmdFollowUp(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if args[0] == "reports" {
		return cmdReports(ctx, args[1:], stdout, stderr)
	}
	return cmdHealth(ctx, args[1:], stdout, stderr)
}

// cmdHealth prints one project's computed status, staleness, ratings and
// variances.
func cmdHealth(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("health", "health PROJECT [--as-of DATE] [--db DB]", stderr)
	dsn := dbFlag(fs)
	asOfFlag := fs.String("as-of", "", "the day to judge as of (ISO or Jalali; default today)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("health needs exactly one project slug")
	}
	var asOf *domain.Date
	if *asOfFlag != "" {
		d, err := domain.ParseDate(*asOfFlag)
		if err != nil {
			return domain.Invalid("as-of", "تاریخ نامعتبر: "+err.Error(), "invalid date: "+err.Error())
		}
		asOf = &d
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	h, err := svc.ProjectHealth(ctx, service.System, rest[0], asOf)
	if err != nil {
		return err
	}
	writeHealth(stdout, h)
	return nil
}

func writeHealth(w io.Writer, h *service.HealthView) {
	fmt.Fprintf(w, "%s  status %s (as of %s, %s)\n", h.Project, strings.ToUpper(string(h.Status)), h.AsOf, h.AsOf.Jalali())
	for _, r := range h.StatusReasons {
		fmt.Fprintf(w, "  - %s\n    %s\n", r.EN, r.FA)
	}
	switch {
	case h.Stale:
		fmt.Fprintf(w, "STALE: the report due by %s has not been accepted\n", h.NextReportDue)
	case h.NextReportDue != nil:
		fmt.Fprintf(w, "reports: up to date; the next is due by %s\n", h.NextReportDue)
	default:
		fmt.Fprintln(w, "reports: none owed (no baseline, or the project is no longer active)")
	}
	if h.LastReport != nil {
		fmt.Fprintf(w, "last accepted report: %s by %s (#%d)\n", h.LastReport.Period, h.LastReport.Agency, h.LastReport.ID)
	}
	if h.Baseline != nil {
		b := h.Baseline
		fmt.Fprintf(w, "baseline %d: %s → %s, %s %s (approved %s, %s)\n", b.Number, b.Start, b.End,
			groupDigits(b.Cost), b.Currency, b.Approved, b.Reference)
	}
	v := h.Variance
	if v.SlipDays != nil {
		fmt.Fprintf(w, "schedule slip: %+d days (%s%% of the baselined duration)\n", *v.SlipDays, strconv.FormatFloat(*v.SlipPercent, 'f', -1, 64))
	}
	if v.CostVariance != nil {
		fmt.Fprintf(w, "cost variance: %s IRR (%s%%)\n", groupDigits(*v.CostVariance), strconv.FormatFloat(*v.CostPercent, 'f', -1, 64))
	}
	rating := func(p *int) string {
		if p == nil {
			return "none"
		}
		return strconv.Itoa(*p)
	}
	flags := ""
	if h.Divergent {
		flags += "  DIVERGENT"
	}
	if h.RatingDrop {
		flags += "  COUNCIL RATING DROPPED"
	}
	fmt.Fprintf(w, "ratings: self %s, council %s%s\n", rating(h.SelfRating), rating(h.CouncilRating), flags)
	fmt.Fprintf(w, "milestones: %d, %d done, %d overdue", h.Milestones.Total, h.Milestones.Done, h.Milestones.Overdue)
	if h.ProgressPercent != nil {
		fmt.Fprintf(w, " (%s%% weighted progress)", strconv.FormatFloat(*h.ProgressPercent, 'f', -1, 64))
	}
	fmt.Fprintf(w, "\nindicators: %d, %d met, %d not met, %d without an accepted value\n", h.KPIs.Total, h.KPIs.Met, h.KPIs.NotMet, h.KPIs.Unknown)
}

// groupDigits writes an amount with thousands separators.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// cmdReports lists progress reports, oldest first.
func cmdReports(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reports", "reports [--project P] [--agency A] [--state S] [--db DB]", stderr)
	dsn := dbFlag(fs)
	var f domain.ReportFilter
	fs.StringVar(&f.Project, "project", "", "a project's slug")
	fs.StringVar(&f.Agency, "agency", "", "an agency's code")
	state := fs.String("state", "", "draft, submitted, returned or accepted")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("reports takes no arguments, got %q (use --project)", rest)
	}
	f.State = domain.ReportState(*state)
	if f.State != "" && !strings.Contains(" draft submitted returned accepted ", " "+*state+" ") {
		return domain.Invalid("state", "وضعیت باید draft، submitted، returned یا accepted باشد", "state must be draft, submitted, returned or accepted")
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	reports := func(p domain.Page) ([]*domain.Report, error) { return svc.Reports(ctx, service.System, f, p) }
	n := 0
	for r, err := range domain.Walk(reports, func(r *domain.Report) string { return strconv.FormatInt(r.ID, 10) }) {
		if err != nil {
			return err
		}
		end := "—"
		if r.ProjectedEnd != nil {
			end = r.ProjectedEnd.String()
		}
		fmt.Fprintf(stdout, "#%-6d %-24s %-10s %s  %-9s  projected end %s  evidence %d\n",
			r.ID, r.Project, r.Agency, r.Period, r.State, end, len(r.Evidence))
		n++
	}
	fmt.Fprintf(stdout, "%d reports.\n", n)
	return nil
}
