package web

import (
	"html/template"
	"strconv"
	"strings"
)

// An action item — on a project's page, the actions list and a meeting's
// page — is written here in Go instead of by a template: the template
// engine calls every function and reads every field by reflection, and an
// action with its history was about a hundred of those, a third of a
// project page's rendering at 10,000 projects (issue 12). What it writes
// is what the templates in TestActionItemHTMLIsTheTemplates write, byte
// for byte, escaped as html/template escapes each place: HTML text and
// quoted attributes as htmlEscapeString, a link's path as urlNormalize
// then htmlEscapeString.

// actionItemHTML writes an action as an <li>: its description, owner,
// meeting, dates, status, projects and history.
func (l Lang) actionItemHTML(a actionView) template.HTML {
	var b strings.Builder
	b.Grow(1024 + 256*len(a.History))
	b.WriteString(`<li class="action" id="action-`)
	b.WriteString(strconv.FormatInt(a.ID, 10))
	b.WriteString("\">\n<p><strong>")
	b.WriteString(htmlEscapeString(l.Text(a.Description)))
	b.WriteString("</strong></p>\n<dl class=\"facts\">\n")
	writeFact(&b, l.tHTML("pubaction.owner"), htmlEscapeString(l.Text(a.Owner)))
	writeFact(&b, l.tHTML("pubaction.decided"), l.meetingLinkHTML(a.Meeting)+" | "+string(l.dateHTML(a.Created)))
	writeFact(&b, l.tHTML("pubaction.due"), string(l.dateHTML(a.Due)))
	writeFact(&b, l.tHTML("pubactions.status"), string(l.actionStatusHTML(&a)))
	b.WriteString("</dl>\n")
	if len(a.Projects) > 0 {
		b.WriteString("<p>")
		b.WriteString(l.tHTML("pubaction.projects"))
		b.WriteString(": ")
		for i, p := range a.Projects {
			if i > 0 {
				b.WriteString(l.tHTML("list.separator"))
			}
			b.WriteString(string(l.projectLinkHTML(p)))
		}
		b.WriteString("</p>")
	}
	b.WriteString("\n<details")
	if a.Redates != 0 {
		b.WriteString(" open")
	}
	b.WriteString(">\n<summary>")
	b.WriteString(l.tHTML("pubaction.history"))
	if a.Redates != 0 {
		b.WriteString(" (")
		b.WriteString(htmlEscapeString(l.T("pubaction.redates", l.Num(a.Redates))))
		b.WriteString(")")
	}
	b.WriteString("</summary>\n<ol class=\"plain\">")
	for _, h := range a.History {
		b.WriteString("\n<li>")
		b.WriteString(string(l.dateHTML(h.Date)))
		b.WriteString(" — ")
		b.WriteString(htmlEscapeString(h.What))
		if h.Meeting != "" {
			b.WriteString(" (")
			b.WriteString(l.tHTML("pubaction.at_meeting"))
			b.WriteString(" ")
			b.WriteString(l.meetingLinkHTML(h.Meeting))
			b.WriteString(")")
		}
		if !h.Note.IsZero() {
			b.WriteString(`: <span class="prose">`)
			b.WriteString(htmlEscapeString(l.Text(h.Note)))
			b.WriteString("</span>")
		}
		b.WriteString("</li>")
	}
	b.WriteString("\n</ol>\n</details>\n</li>")
	return template.HTML(b.String())
}

// writeFact writes one line of a <dl class="facts">: a label and its
// value, both HTML already.
func writeFact(b *strings.Builder, label, value string) {
	b.WriteString("<div><dt>")
	b.WriteString(label)
	b.WriteString("</dt><dd>")
	b.WriteString(value)
	b.WriteString("</dd></div>\n")
}

// meetingLinkHTML is a link to a meeting's page, its code isolated.
func (l Lang) meetingLinkHTML(code string) string {
	return `<a href="/meetings/` + htmlEscapeString(urlNormalize(code)) + `"><bdi>` + htmlEscapeString(l.Digits(code)) + "</bdi></a>"
}

// actionStatusHTML writes an action's status as a badge: open, overdue
// (with the days past due) or closed (with the day it closed).
func (l Lang) actionStatusHTML(a *actionView) template.HTML {
	switch a.Status {
	case "overdue":
		return template.HTML(`<span class="badge rag-red">` + l.tHTML("actstatus.overdue") + "</span> " +
			htmlEscapeString(l.T("pubaction.overdue_days", l.Num(a.Overdue))))
	case "closed":
		s := `<span class="badge rag-green">` + l.tHTML("actstatus.closed") + "</span>"
		if a.Closed != nil {
			s += " " + string(l.dateHTML(a.Closed))
		}
		return template.HTML(s)
	}
	return template.HTML(`<span class="badge rag-amber">` + l.tHTML("actstatus.open") + "</span>")
}

// projectLinkHTML writes a link to a project's page under its title; v is
// a linkView or a *linkView.
func (l Lang) projectLinkHTML(v any) template.HTML {
	var p linkView
	switch x := v.(type) {
	case linkView:
		p = x
	case *linkView:
		if x != nil {
			p = *x
		}
	}
	return template.HTML(`<a href="/projects/` + htmlEscapeString(urlNormalize(p.Slug)) + `">` + htmlEscapeString(l.Text(p.Title)) + "</a>")
}

// tHTML is a catalog message escaped for HTML text or a quoted attribute.
func (l Lang) tHTML(key string) string { return htmlEscapeString(l.T(key)) }

// urlNormalize is html/template's normalizing of a value written into a
// URL after its start (href="/meetings/{{.}}"): every byte but RFC 3986's
// unreserved and reserved characters and a valid %XX escape is written
// as %xx (TestURLNormalize holds it to html/template's own).
func urlNormalize(s string) string {
	const hex = "0123456789abcdef"
	var b []byte
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(s)+16)
		}
		b = append(b, s[written:i]...)
		b = append(b, '%', hex[c>>4], hex[c&15])
		written = i + 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[written:]...))
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
