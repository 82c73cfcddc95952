package domain

// Rows of the service's lists: a record with what a list shows beside it
// (counts, a project's headline fields), read in one query.

// ProgramCounts says how much of a program is known. (The API names the
// counts on the wire: api/wire.go.)
type ProgramCounts struct {
	Named        int // projects ever recorded as members
	Active       int // members now
	Main         int // main projects among the active
	Confidential int // confidential projects among the named
}

// ProgramRow is a program with its counts, as lists show it.
type ProgramRow struct {
	*Program
	ProgramCounts
}

// Member is a project's standing in a program, with the project's headline
// fields.
type Member struct {
	Membership
	Title           Text            `json:"title"`
	Kind            ProjectKind     `json:"kind"`
	Confidentiality Confidentiality `json:"confidentiality"`
	Status          Lifecycle       `json:"status"`
	Lead            string          `json:"lead,omitempty"`
}

// Reminder is one thing an agency owes past its due date: owed since Day,
// the first day the daily job found it so.
type Reminder struct {
	Day    Date
	Agency string
	Kind   string // action | report
	Ref    string // the action id, or project/period
	Due    Date
	Text   Text
}

// RatingMonth is one month's ratings of one kind: how many, and their sum.
type RatingMonth struct {
	Period Period
	Kind   RatingKind
	Sum, N int
}
