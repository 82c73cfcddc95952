package service

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/store"
)

// Every record that has been published as a signed document carries the
// verification code of its newest publication (domain.Seal) wherever it is
// read, so that every page, file and answer that shows it can show how to
// check it. The refs are the ones publish.go signs under.

func decisionRef(meeting, resolution string) string { return meeting + "/" + resolution }

func reportRef(id int64) string { return "report/" + strconv.FormatInt(id, 10) }

// sealDecisions sets the code of each decision that has been published.
func sealDecisions(tx *store.Tx, ds []*domain.Decision) error {
	refs := make([]string, len(ds))
	for i, d := range ds {
		refs[i] = decisionRef(d.Meeting, d.Resolution)
	}
	codes, err := tx.SignedCodes(signing.KindDecision, refs)
	for i, d := range ds {
		d.VerificationCode = codes[refs[i]]
	}
	return err
}

// sealMeeting sets the code of a meeting's published minutes and of each
// of its published decisions.
func sealMeeting(tx *store.Tx, m *domain.Meeting) error {
	if m.State != domain.MeetingClosed { // published when it closes
		return nil
	}
	codes, err := tx.SignedCodes(signing.KindMinutes, []string{m.ID})
	if err != nil {
		return err
	}
	m.VerificationCode = codes[m.ID]
	var refs []string
	for _, o := range m.Outcomes {
		if o.Kind == domain.OutcomeDecision {
			refs = append(refs, decisionRef(m.ID, o.Resolution))
		}
	}
	if codes, err = tx.SignedCodes(signing.KindDecision, refs); err != nil {
		return err
	}
	for i := range m.Outcomes {
		if o := &m.Outcomes[i]; o.Kind == domain.OutcomeDecision {
			o.VerificationCode = codes[decisionRef(m.ID, o.Resolution)]
		}
	}
	return nil
}

// sealReports sets the code of each accepted report that has been
// published (those on public projects).
func sealReports(tx *store.Tx, rs []*domain.Report) error {
	var refs []string
	for _, r := range rs {
		if r.State == domain.ReportAccepted {
			refs = append(refs, reportRef(r.ID))
		}
	}
	codes, err := tx.SignedCodes(signing.KindReport, refs)
	for _, r := range rs {
		if r.State == domain.ReportAccepted {
			r.VerificationCode = codes[reportRef(r.ID)]
		}
	}
	return err
}

// DocumentAbout says, for a reader of the verification page, what a signed
// document is and who stands behind it, in names people know: never an
// account's or a token's internal id. It is read from the document's own
// content (the record it names) and from the registry as it is now (the
// names); a content edited behind Pishran's back may leave parts unknown.
type DocumentAbout struct {
	// Issuer is the body that issued the document: the council or
	// committee for a decision or minutes, the reporting agency for a
	// report.
	Issuer domain.Text
	// Publisher is who published it: the council's secretariat, and the
	// person's display name when a person did.
	Publisher domain.Text
	// Meeting is the meeting a decision or minutes belong to.
	Meeting *MeetingRef
	// Resolution is a decision's number.
	Resolution string
	// Report is a report's id, period and agency.
	Report *ReportRef
	// Projects are the projects the document concerns that the public may
	// see now; Hidden counts the others (a project made confidential
	// since).
	Projects []ProjectRef
	Hidden   int
	// Withheld: one of the projects exists but is not public now (made
	// confidential since): what the document says is no longer the
	// public's to read, though its verdict stands.
	Withheld bool
	// Newer is the code of a newer publication of the same record (a
	// correction), if there is one.
	Newer string
}

// MeetingRef names a meeting.
type MeetingRef struct {
	ID     string
	Series domain.Text
	Number int
	Date   *domain.Date
}

// ProjectRef names a project.
type ProjectRef struct {
	Slug  string
	Title domain.Text
}

// secretariat is the publisher's organisation.
var secretariat = domain.T("دبیرخانه شورای اجرایی فناوری اطلاعات", "Secretariat of the IT Executive Council")

// aboutDocument works out a published document's DocumentAbout.
func aboutDocument(tx *store.Tx, row *store.SignedDocument) (*DocumentAbout, error) {
	ab := &DocumentAbout{Publisher: secretariat}
	if name, ok := strings.CutPrefix(row.PublishedBy, "user:"); ok {
		acc, err := tx.Account(name)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return nil, err
		}
		if acc != nil && !acc.User.DisplayName.IsZero() {
			dn := acc.User.DisplayName
			ab.Publisher = domain.T(secretariat.FA+" — "+dn.In("fa"), secretariat.EN+" — "+dn.In("en"))
		}
	}
	var c struct {
		// decision
		Meeting    string   `json:"meeting"`
		Session    int      `json:"session"`
		Resolution string   `json:"resolution"`
		Projects   []string `json:"projects"`
		// minutes (a meeting record)
		ID       string `json:"id"`
		Number   int    `json:"number"`
		Outcomes []struct {
			Projects []string `json:"projects"`
		} `json:"outcomes"`
		// both
		Series string `json:"series"`
		Date   string `json:"date"`
		// report
		Report  string `json:"report"`
		Project string `json:"project"`
		Agency  string `json:"agency"`
		Period  string `json:"period"`
	}
	_ = json.Unmarshal([]byte(row.Content), &c) // best effort: an edited content leaves fields unknown
	var slugs []string
	switch row.Kind {
	case signing.KindDecision, signing.KindMinutes:
		m := &MeetingRef{ID: c.Meeting, Number: c.Session}
		slugs = c.Projects
		if row.Kind == signing.KindMinutes {
			m.ID, m.Number = c.ID, c.Number
			for _, o := range c.Outcomes {
				slugs = append(slugs, o.Projects...)
			}
		} else {
			ab.Resolution = c.Resolution
		}
		if d, err := domain.ParseDate(c.Date); err == nil {
			m.Date = &d
		}
		if c.Series != "" {
			sr, err := tx.Series(c.Series)
			if err != nil && !domain.IsKind(err, domain.KindNotFound) {
				return nil, err
			}
			if sr != nil {
				m.Series, ab.Issuer = sr.Name, sr.Name
			}
		}
		if m.ID != "" {
			ab.Meeting = m
		}
	case signing.KindReport:
		if id, err := strconv.ParseInt(c.Report, 10, 64); err == nil {
			ab.Report = &ReportRef{ID: id, Period: domain.Period(c.Period), Agency: c.Agency}
		}
		if c.Project != "" {
			slugs = []string{c.Project}
		}
		if c.Agency != "" {
			names, err := tx.AgencyNames([]string{c.Agency})
			if err != nil {
				return nil, err
			}
			ab.Issuer = names[c.Agency]
		}
	}
	seen := map[string]bool{}
	for _, slug := range slugs {
		if seen[slug] || !domain.ValidSlug(slug) {
			continue
		}
		seen[slug] = true
		p, err := tx.Project(slug, Anonymous.Viewer())
		switch {
		case err == nil:
			ab.Projects = append(ab.Projects, ProjectRef{Slug: p.Slug, Title: p.Title})
		case domain.IsKind(err, domain.KindNotFound):
			ab.Hidden++
			if _, err := tx.Project(slug, domain.Viewer{All: true}); err == nil {
				ab.Withheld = true
			} else if !domain.IsKind(err, domain.KindNotFound) {
				return nil, err
			}
		default:
			return nil, err
		}
	}
	all, err := tx.SignedDocumentsOf(row.Kind, row.Ref)
	if err != nil {
		return nil, err
	}
	if n := len(all); n > 0 && all[n-1].Code != row.Code {
		ab.Newer = all[n-1].Code
	}
	return ab, nil
}

// PublishedCode reads a verification code as a person typed it and
// returns it in canonical form when a document was published under it;
// NotFound otherwise. It is public.
func (s *Service) PublishedCode(ctx context.Context, code string) (string, error) {
	code, err := signing.ParseCode(code)
	if err != nil {
		return "", domain.NotFound("code", "signed document")
	}
	var ok bool
	err = s.db.View(ctx, func(tx *store.Tx) error {
		ok, err = tx.SignedDocumentExists(code)
		return err
	})
	if err == nil && !ok {
		err = domain.NotFound("code", "signed document")
	}
	return code, err
}
