package web

import (
	"bytes"
	"html/template"
	"testing"
)

// TestHTMLEscapeString holds the fused functions' escaping to
// html/template's own, in HTML text and in a quoted attribute.
func TestHTMLEscapeString(t *testing.T) {
	inputs := []string{"", "plain", "a<b>&\"'+c", "\x00", "سلام + «نقل» <b>", "\xe2<\x80>", "\xff\xfe&", "&amp; already"}
	var all []byte
	for c := range 256 {
		all = append(all, byte(c))
	}
	inputs = append(inputs, string(all))
	text := template.Must(template.New("").Parse("{{.}}"))
	attr := template.Must(template.New("").Parse(`<p title="{{.}}">`))
	for _, in := range inputs {
		var b bytes.Buffer
		if err := text.Execute(&b, in); err != nil {
			t.Fatal(err)
		}
		if got := htmlEscapeString(in); got != b.String() {
			t.Errorf("%q: text %q, html/template %q", in, got, b.String())
		}
		b.Reset()
		if err := attr.Execute(&b, in); err != nil {
			t.Fatal(err)
		}
		if got := `<p title="` + htmlEscapeString(in) + `">`; got != b.String() {
			t.Errorf("%q: attribute %q, html/template %q", in, got, b.String())
		}
	}
}
