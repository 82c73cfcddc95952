package domain

// The filters that narrow the service's list reads. They say what a caller
// asks for, in the domain's words; the store turns them into SQL.

// ProjectFilter narrows a project listing.
type ProjectFilter struct {
	Kind   ProjectKind
	Status Lifecycle
	Agency string // projects this agency leads or takes part in
}

// MemberFilter narrows a member listing.
type MemberFilter struct {
	ActiveOnly bool
}

// MeetingFilter narrows a meeting listing.
type MeetingFilter struct {
	Series string
	States []MeetingState // any of these; empty: all
}

// ActionFilter narrows an action listing.
type ActionFilter struct {
	Owner    string // owner agency code
	OpenOnly bool
	Project  string
}

// ReportFilter narrows a report listing.
type ReportFilter struct {
	Project string
	Agency  string
	State   ReportState
}
