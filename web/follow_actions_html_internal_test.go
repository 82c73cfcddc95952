package web

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
)

// The templates actionItemHTML, actionStatusHTML and projectLinkHTML
// replaced (follow_parts.html and parts.html before issue 12's change):
// what the Go writes is held to what they write, escaping included.
const actionTemplates = `{{define "action-status" -}}
{{if eq .Status "overdue"}}<span class="badge rag-red">{{t "actstatus.overdue"}}</span> {{t "pubaction.overdue_days" (num .Overdue)}}
{{- else if eq .Status "closed"}}<span class="badge rag-green">{{t "actstatus.closed"}}</span>{{with .Closed}} {{date .}}{{end}}
{{- else}}<span class="badge rag-amber">{{t "actstatus.open"}}</span>{{end}}
{{- end}}

{{define "project-link" -}}
<a href="/projects/{{.Slug}}">{{text .Title}}</a>
{{- end}}

{{define "action-item" -}}
<li class="action" id="action-{{.ID}}">
<p><strong>{{text .Description}}</strong></p>
<dl class="facts">
<div><dt>{{t "pubaction.owner"}}</dt><dd>{{text .Owner}}</dd></div>
<div><dt>{{t "pubaction.decided"}}</dt><dd><a href="/meetings/{{.Meeting}}"><bdi>{{digits .Meeting}}</bdi></a> | {{date .Created}}</dd></div>
<div><dt>{{t "pubaction.due"}}</dt><dd>{{date .Due}}</dd></div>
<div><dt>{{t "pubactions.status"}}</dt><dd>{{template "action-status" .}}</dd></div>
</dl>
{{if .Projects}}<p>{{t "pubaction.projects"}}: {{range $i, $p := .Projects}}{{if $i}}{{t "list.separator"}}{{end}}{{template "project-link" $p}}{{end}}</p>{{end}}
<details{{if .Redates}} open{{end}}>
<summary>{{t "pubaction.history"}}{{if .Redates}} ({{t "pubaction.redates" (num .Redates)}}){{end}}</summary>
<ol class="plain">
{{- range .History}}
<li>{{date .Date}} — {{.What}}{{if .Meeting}} ({{t "pubaction.at_meeting"}} <a href="/meetings/{{.Meeting}}"><bdi>{{digits .Meeting}}</bdi></a>){{end}}{{if not (isZero .Note)}}: <span class="prose">{{text .Note}}</span>{{end}}</li>
{{- end}}
</ol>
</details>
</li>
{{- end}}

{{define "pointer-link"}}{{template "project-link" .}}{{end}}`

// awkward are texts and codes with every character the escapers treat
// apart: markup, quotes, ampersands, plus signs, percents valid and not,
// URL delimiters, spaces, NUL, invalid UTF-8 and Persian.
var awkward = []string{"", "plain-1403_07", "a<b>&\"'+c", "x/y?z=1#f&g", "%2F%zz%4", "سلام «نقل» <b>", "\x00\xff\xfe", "sp ace\t\n", "!$*,;:@[]~()"}

func TestActionItemHTMLIsTheTemplates(t *testing.T) {
	day := domain.MustDate("2026-03-21")
	for _, l := range Langs {
		ref := template.Must(template.New("ref").Funcs((&Site{}).funcs(l)).Parse(actionTemplates))
		run := func(name string, data any) string {
			var b bytes.Buffer
			if err := ref.ExecuteTemplate(&b, name, data); err != nil {
				t.Fatal(err)
			}
			return b.String()
		}
		n := 0
		for i, s := range awkward {
			txt := domain.T(s+" fa", s+" en")
			if i%3 == 0 {
				txt = domain.Text{}
			}
			other := awkward[(i+1)%len(awkward)]
			for _, status := range []string{"open", "overdue", "closed"} {
				for _, shape := range []int{0, 1, 2} {
					a := actionView{ID: int64(i*100 + shape), Description: txt, Owner: domain.T(other, s), Meeting: s, Created: day,
						Due: day.AddDays(shape * 40), Status: status, Overdue: shape * 1234, Redates: shape}
					if shape > 0 {
						a.Closed = &day
						for k := range shape + 1 {
							a.Projects = append(a.Projects, linkView{Slug: awkward[(i+k)%len(awkward)], Title: domain.T(other, "")})
							a.History = append(a.History, actionLine{Date: day.AddDays(k), What: other + s, Meeting: awkward[(i+k)%len(awkward)],
								Note: domain.T(s, other)})
						}
					}
					if got, want := string(l.actionItemHTML(a)), run("action-item", a); got != want {
						t.Fatalf("%s: action %+v:\n got %q\nwant %q", l, a, got, want)
					}
					if got, want := string(l.actionStatusHTML(&a)), run("action-status", &a); got != want {
						t.Fatalf("%s: status %+v:\n got %q\nwant %q", l, a, got, want)
					}
					for _, p := range a.Projects {
						if got, want := string(l.projectLinkHTML(&p)), run("pointer-link", &p); got != want {
							t.Fatalf("%s: link %+v: got %q, want %q", l, p, got, want)
						}
					}
					n++
				}
			}
		}
		if n < 50 {
			t.Fatalf("only %d actions compared", n)
		}
	}
}

// urlNormalize writes what html/template writes for a value after a URL's
// start, for every byte.
func TestURLNormalize(t *testing.T) {
	ref := template.Must(template.New("").Parse(`<a href="/x/{{.}}">`))
	var all []byte
	for c := range 256 {
		all = append(all, byte(c))
	}
	for _, in := range append(awkward, string(all), "%", "%4", "%41", "%4g", strings.Repeat("%e2%80", 3)) {
		var b bytes.Buffer
		if err := ref.Execute(&b, in); err != nil {
			t.Fatal(err)
		}
		if got := `<a href="/x/` + htmlEscapeString(urlNormalize(in)) + `">`; got != b.String() {
			t.Errorf("%q: %q, html/template %q", in, got, b.String())
		}
	}
}
