package domain

// Severity says whether a broken rule stops a designation (blocking),
// should be heeded (warning) or only informs (note).
type Severity string

const (
	Blocking Severity = "blocking" // the project cannot join the list
	Warning  Severity = "warning"  // the project may join; the council should know
	Note     Severity = "note"     // nothing wrong: what the council is told, e.g. what the exchange shows
)

// Violation is one designation rule a project breaks for one program.
type Violation struct {
	Rule     string   `json:"rule"` // stable rule id, e.g. "multi-agency"
	Severity Severity `json:"severity"`
	Field    string   `json:"field,omitempty"` // the project field at fault, if one is
	Message  Text     `json:"message"`
	Fix      Text     `json:"fix"` // how to put it right
}

// Blocking returns the blocking violations of vs.
func BlockingOf(vs []Violation) []Violation {
	var out []Violation
	for _, v := range vs {
		if v.Severity == Blocking {
			out = append(out, v)
		}
	}
	return out
}

// Refused builds the error a refused designation returns: every blocking
// violation at once, so the caller can fix them all in one go.
func Refused(vs []Violation) *Error {
	return &Error{Kind: KindRuleViolation, Message: T(
		"پروژه شرایط ورود به فهرست را ندارد",
		"the project does not meet the designation rules"), Violations: vs}
}
