package service

import "github.com/pishran/pishran/domain"

// Who recorded a record — a person's account, a token's name — is staff
// knowledge. The public reads what was recorded and when, never by whom:
// every answer the public may read passes through these before it leaves
// the service, whatever door asked (API, pages, open data), and the
// field, left empty, is left out of the JSON (omitempty). Staff answers
// keep it. The answers they touch are read afresh for each caller, so
// they are changed in place.

// hidesAccounts reports whether the reader may not see who recorded what:
// the public.
func hidesAccounts(a Actor) bool { return !a.Viewer().Staff }

// anonReports clears who added each report's evidence and who moved it
// through review.
func anonReports(a Actor, rs ...*domain.Report) {
	if !hidesAccounts(a) {
		return
	}
	for _, r := range rs {
		if r == nil {
			continue
		}
		for i := range r.Evidence {
			r.Evidence[i].AddedBy = ""
		}
		for i := range r.Events {
			r.Events[i].By = ""
		}
	}
}

// anonRatings clears who recorded each rating.
func anonRatings(a Actor, rs []*domain.Rating) {
	if !hidesAccounts(a) {
		return
	}
	for _, r := range rs {
		r.RecordedBy = ""
	}
}

// anonBaselines clears who recorded each baseline.
func anonBaselines(a Actor, bs ...*domain.Baseline) {
	if !hidesAccounts(a) {
		return
	}
	for _, b := range bs {
		if b != nil {
			b.RecordedBy = ""
		}
	}
}

// anonEvents clears who recorded each membership event.
func anonEvents(a Actor, es []*domain.MembershipEvent) {
	if !hidesAccounts(a) {
		return
	}
	for _, e := range es {
		e.RecordedBy = ""
	}
}
