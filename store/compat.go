package store

import (
	"context"

	"github.com/pishran/pishran/domain"
)

// The types below moved to domain (issue 11): the service and the doors speak
// in pages, filters and list rows, not in the SQL layer's types. These aliases
// keep every caller compiling while the packages move over; they go once no
// caller names them through store.

type (
	Page          = domain.Page
	ProjectFilter = domain.ProjectFilter
	MemberFilter  = domain.MemberFilter
	MeetingFilter = domain.MeetingFilter
	ActionFilter  = domain.ActionFilter
	ReportFilter  = domain.ReportFilter
	ProgramCounts = domain.ProgramCounts
	ProgramRow    = domain.ProgramRow
	Member        = domain.Member
	Reminder      = domain.Reminder
	RatingMonth   = domain.RatingMonth
	AuditEntry    = domain.AuditEntry
	ChainBreak    = domain.ChainBreak
	AuditLine     = domain.AuditLine
	Viewer        = domain.Viewer
	ProjectEntry  = domain.ProjectEntry
	Origin        = domain.Origin
)

// MaxPage is domain.MaxPage.
const MaxPage = domain.MaxPage

// WithOrigin is domain.WithOrigin.
func WithOrigin(ctx context.Context, o Origin) context.Context { return domain.WithOrigin(ctx, o) }

// OriginOf is domain.OriginOf.
func OriginOf(ctx context.Context) Origin { return domain.OriginOf(ctx) }
