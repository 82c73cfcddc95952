package domain

// Rows of the service's lists: a record with what a list shows beside it
// (counts, a project's headline fields), read in one query.

// ProgramCounts says how much of a program is known.
type ProgramCounts struct {
	Named        int `json:"named_count"`        // projects ever recorded as members
	Active       int `json:"active_count"`       // members now
	Main         int `json:"main_count"`         // main projects among the active
	Confidential int `json:"confidential_count"` // confidential projects among the named
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

// Reminder is one thing an agency owes past its due date, found on a day.
type Reminder struct {
	Day    Date   `json:"day"`
	Agency string `json:"agency"`
	Kind   string `json:"kind"` // action | report
	Ref    string `json:"ref"`  // the action id, or project/period
	Due    Date   `json:"due"`
	Text   Text   `json:"text"`
}

// RatingMonth is one month's ratings of one kind: how many, and their sum.
type RatingMonth struct {
	Period Period
	Kind   RatingKind
	Sum, N int
}
