package web

import "github.com/pishran/pishran/domain"

// lightCatalog holds the strings of the sources' citations
// (citations.go). It joins the catalog when the package loads, so
// TestCatalog checks it with the rest.
var lightCatalog = map[string]domain.Text{
	"sources.no_link": {FA: "نشانی برخط ثبت نشده است", EN: "no online address recorded"},
}

func init() {
	for k, v := range lightCatalog {
		if _, dup := catalog[k]; dup {
			panic("web: catalog key " + k + " defined twice")
		}
		catalog[k] = v
	}
}
