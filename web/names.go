package web

import (
	"context"
	"html/template"

	"github.com/pishran/pishran/service"
)

// People and agencies are shown by name, never by the ids the records keep
// ("user:moh-focal", an agency's code): who and agencyName are the
// templates' way to name them, each set apart in a <bdi> so that a Latin
// name inside Persian text keeps its order. They are used on workspace
// pages only, which signed-in staff read.

// who names the actor with id ("user:…", "token:…", "system").
func (s *Site) who(l Lang, id string) template.HTML {
	return template.HTML(`<bdi>` + template.HTMLEscapeString(s.whoName(l, id)) + `</bdi>`)
}

// whoName is who's name as plain text, for a catalog message's argument.
func (s *Site) whoName(l Lang, id string) string {
	if t, err := s.svc.ActorName(context.Background(), service.System, id); err == nil {
		return l.Text(t)
	}
	return id
}

// agencyName names the agency with code, or gives the code when no agency
// has it.
func (s *Site) agencyName(l Lang, code string) template.HTML {
	name := code
	if a, err := s.svc.Agency(context.Background(), code); err == nil && !a.Name.IsZero() {
		name = l.Text(a.Name)
	}
	return template.HTML(`<bdi>` + template.HTMLEscapeString(name) + `</bdi>`)
}
