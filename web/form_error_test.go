package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

// TestFormErrorNamesTheField: an older staff form's refusal (the agenda's:
// an item dropped without a reason) names the field as a person would —
// the reason for dropping, the item by its number in the page's digits —
// and links to its input; never the API's path (items[0].drop_reason).
func TestFormErrorNamesTheField(t *testing.T) {
	agendaRE := regexp.MustCompile(`(?s)<form method="post" action="(/staff/meetings/itec-30/agenda\?v=\d+)" class="agenda-form">.*?</form>`)
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			for lang, want := range map[string]string{"fa": "خانه: دلیل حذف، بند ۱ دستور جلسه", "en": "Field: reason for dropping, agenda item 1"} {
				page := se.Page(se.SignIn("sec"), "/staff/meetings/itec-30", lang)
				m := agendaRE.FindStringSubmatch(page.Text())
				if m == nil {
					t.Fatalf("no agenda form:\n%s", scenario.Clip(page.Text()))
				}
				form := formOf(m[0])
				var first string
				for k := range form {
					if strings.HasPrefix(k, "pos.") && (form.Get(k) == "1" || form.Get(k) == "۱") {
						first = strings.TrimPrefix(k, "pos.")
					}
				}
				if first == "" {
					t.Fatalf("no first agenda item in %v", form)
				}
				form.Del("keep." + first) // dropped, with no reason
				form.Set("drop."+first, "")
				r := se.Form(se.SignIn("sec"), m[1]+"&lang="+lang, form, nil)
				r.CheckPage(t, http.StatusUnprocessableEntity, lang)
				box := regexp.MustCompile(`(?s)id="form-error">(.*?)</div>`).FindStringSubmatch(r.Text())
				if box == nil || !strings.Contains(box[1], `<a href="#drop-1">`+want+`</a>`) {
					t.Errorf("%s: the refusal does not name the field as %q:\n%s", lang, want, box)
				}
				if strings.Contains(r.Text(), "items[") || strings.Contains(r.Text(), "drop_reason") {
					t.Errorf("%s: the page names the API path", lang)
				}
				if !strings.Contains(r.Text(), `id="drop-1"`) {
					t.Errorf("%s: the link's input is not on the page", lang)
				}
			}
		})
	}
}
