package notice

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
)

// Kind is what a notice is about. Each kind has its texts in the embedded
// templates (templates/fa.tmpl, templates/en.tmpl).
type Kind string

const (
	ReportDueSoon   Kind = "report-due-soon"  // an agency's report for a Jalali month is due in a few days
	ReportOverdue   Kind = "report-overdue"   // … and its due date has passed
	ReportReturned  Kind = "report-returned"  // the secretariat sent a report back, with a comment
	ReportAccepted  Kind = "report-accepted"  // the secretariat accepted a report
	ActionDueSoon   Kind = "action-due-soon"  // a meeting's action for the agency is due in a few days
	ActionOverdue   Kind = "action-overdue"   // … and its due date has passed
	AgendaPublished Kind = "agenda-published" // a meeting's agenda, to its attendees
	DecisionMade    Kind = "decision"         // a council decision that names the agency or its project
	SetPassword     Kind = "set-password"     // a new account's link to choose a password
	ResetPassword   Kind = "reset-password"   // a link to choose a new password
	Digest          Kind = "digest"           // the daily bundle of a person's notices
)

// Kinds lists every kind.
var Kinds = []Kind{ReportDueSoon, ReportOverdue, ReportReturned, ReportAccepted, ActionDueSoon,
	ActionOverdue, AgendaPublished, DecisionMade, SetPassword, ResetPassword, Digest}

// Account reports whether the kind is an account message (a password link):
// sent whatever the person's preferences, never bundled into a digest, and
// carrying no unsubscribe link, since a person cannot opt out of a link an
// administrator chose to send them.
func (k Kind) Account() bool { return k == SetPassword || k == ResetPassword }

// Recipient is who a notice goes to.
type Recipient struct {
	Username string      `json:"username"` // the account, for the unsubscribe token and the inbox
	Name     domain.Text `json:"name"`     // display name
	Address  string      `json:"address"`  // e-mail address
}

// Ref names a record: its identifier and its name in both languages.
type Ref struct {
	ID   string      `json:"id"`
	Name domain.Text `json:"name"`
}

// Meeting names a meeting for an agenda or a decision.
type Meeting struct {
	ID    string      `json:"id"`    // "itec-26"
	Title domain.Text `json:"title"` // series name and number when the meeting has no title
	Date  domain.Date `json:"date"`
}

// Notice is one event for one person: the input of Composer.Compose and what
// the outbox stores (it is JSON-serialisable).
type Notice struct {
	Kind Kind      `json:"kind"`
	Key  string    `json:"key"` // idempotency key, unique per event and person; see Key
	To   Recipient `json:"to"`
	At   time.Time `json:"at"` // when the event happened (or the reminder was computed)
	// Path is the page the notice is about, relative to the base URL
	// ("/work/reports/42"); for a password link it holds the link's token.
	Path string `json:"path"`

	Project *Ref `json:"project,omitempty"`
	Agency  *Ref `json:"agency,omitempty"`
	// Period is a Jalali reporting month, "1405-08" (issue 13 stores
	// reporting periods as Jalali months).
	Period  string       `json:"period,omitempty"`
	Due     *domain.Date `json:"due,omitempty"`
	Comment domain.Text  `json:"comment,omitzero"` // a returned report's comment
	// Action is an action's description (action notices).
	Action     domain.Text `json:"action,omitzero"`
	Meeting    *Meeting    `json:"meeting,omitempty"`
	Resolution string      `json:"resolution,omitempty"` // a decision's resolution number
	Decision   domain.Text `json:"decision,omitzero"`    // a decision's text
	Expires    time.Time   `json:"expires,omitzero"`     // a password link's expiry
	// Items are the notices a Digest bundles, newest first.
	Items []Notice `json:"items,omitempty"`
}

// Key builds an idempotency key from its parts: the kind, the record, the
// period or due date a reminder is for, and the recipient's username, e.g.
// Key(ReportOverdue, "e-prescription", "1405-08", "ali"). Raising the same
// event again yields the same key, so the outbox keeps one row.
func Key(kind Kind, parts ...string) string {
	var b strings.Builder
	b.WriteString(string(kind))
	for _, p := range parts {
		b.WriteByte('/')
		for _, r := range p {
			if r > ' ' && r < 0x7f && r != '/' {
				b.WriteRune(r)
			} else {
				fmt.Fprintf(&b, "%%%02X", r) // keeps the key one printable ASCII line
			}
		}
	}
	return b.String()
}

// validKey reports whether a key can go into a header as it is: printable
// ASCII without spaces, 1–200 bytes.
func validKey(k string) bool {
	if k == "" || len(k) > 200 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] <= ' ' || k[i] >= 0x7f {
			return false
		}
	}
	return true
}

// check reports what a notice of its kind lacks.
func (n *Notice) check() error {
	if !validKey(n.Key) {
		return fmt.Errorf("notice: key %q must be 1–200 printable ASCII characters without spaces", n.Key)
	}
	if n.To.Address == "" {
		return fmt.Errorf("notice %s: no recipient address", n.Key)
	}
	if n.At.IsZero() {
		return fmt.Errorf("notice %s: no time", n.Key)
	}
	need := func(ok bool, what string) error {
		if !ok {
			return fmt.Errorf("notice %s (%s): %s is required", n.Key, n.Kind, what)
		}
		return nil
	}
	var errs []error
	switch n.Kind {
	case ReportDueSoon, ReportOverdue, ReportReturned, ReportAccepted:
		errs = append(errs, need(n.Project != nil, "project"), need(validPeriod(n.Period), "a Jalali period such as 1405-08"))
		if n.Kind == ReportDueSoon || n.Kind == ReportOverdue {
			errs = append(errs, need(n.Due != nil, "due"))
		}
		if n.Kind == ReportReturned {
			errs = append(errs, need(!n.Comment.IsZero(), "comment"))
		}
	case ActionDueSoon, ActionOverdue:
		errs = append(errs, need(!n.Action.IsZero(), "action"), need(n.Due != nil, "due"))
	case AgendaPublished:
		errs = append(errs, need(n.Meeting != nil, "meeting"))
	case DecisionMade:
		errs = append(errs, need(n.Meeting != nil, "meeting"), need(!n.Decision.IsZero(), "decision"))
	case SetPassword, ResetPassword:
		errs = append(errs, need(!n.Expires.IsZero(), "expires"))
	case Digest:
		errs = append(errs, need(len(n.Items) > 0, "items"))
		for i := range n.Items {
			it := &n.Items[i]
			if it.Kind == Digest || it.Kind.Account() {
				return fmt.Errorf("notice %s: a digest cannot bundle a %s notice", n.Key, it.Kind)
			}
			if it.Key == "" {
				it.Key = n.Key + "/" + strconv.Itoa(i)
			}
			if it.To.Address == "" {
				it.To = n.To
			}
			if err := it.check(); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("notice %s: unknown kind %q", n.Key, n.Kind)
	}
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// validPeriod reports whether p is a Jalali month "YYYY-MM".
func validPeriod(p string) bool {
	_, _, ok := parsePeriod(p)
	return ok
}

func parsePeriod(p string) (y, m int, ok bool) {
	ys, ms, found := strings.Cut(p, "-")
	if !found || len(ys) != 4 || len(ms) != 2 {
		return 0, 0, false
	}
	y, err1 := strconv.Atoi(ys)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || y < 1300 || y > 1700 || m < 1 || m > 12 {
		return 0, 0, false
	}
	return y, m, true
}
