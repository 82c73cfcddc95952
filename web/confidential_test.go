package web_test

// The reference dataset's confidential project on no public page or file.

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/internal/testkit"
)

// TestConfidentialNeverShown walks every public page, every page it links
// to and every download, in both languages, and looks for the confidential
// project's slug and titles.
func TestConfidentialNeverShown(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env := newEnv(t, e)
			seen := map[string]bool{}
			queue := append([]string{}, pages...)
			for _, d := range []string{"programs", "projects", "memberships"} {
				for _, ext := range []string{"csv", "json", "xlsx"} {
					queue = append(queue, "/data/"+d+"."+ext)
				}
			}
			queue = append(queue, "/data/dictionary.csv")
			href := regexp.MustCompile(`href="(/[^"#]*)`)
			for len(queue) > 0 && len(seen) < 400 {
				p := strings.ReplaceAll(queue[0], "&amp;", "&")
				queue = queue[1:]
				if seen[p] || strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/static/") {
					continue
				}
				seen[p] = true
				for _, lang := range []string{"fa", "en"} {
					r := env.Page("", p, lang)
					if r.Status != http.StatusOK {
						t.Errorf("%s (%s): %d", p, lang, r.Status)
						continue
					}
					text := r.Text()
					if strings.HasSuffix(p, ".xlsx") {
						text = xlsxText(t, r.Body)
					}
					for _, c := range confidential {
						if strings.Contains(text, c) {
							t.Errorf("%s (%s) shows %q", p, lang, c)
						}
					}
					for _, m := range href.FindAllStringSubmatch(text, -1) {
						queue = append(queue, m[1])
					}
				}
			}
			if len(seen) < 30 {
				t.Errorf("walked only %d pages", len(seen))
			}
			if r := env.Page("", "/projects/anti-smuggling", "en"); r.Status != http.StatusNotFound {
				t.Errorf("the confidential project's page: %d", r.Status)
			}
		})
	}
}

func xlsxText(t *testing.T, b []byte) string {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sb strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			sb.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return sb.String()
}
