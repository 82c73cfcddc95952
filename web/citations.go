package web

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/pishran/pishran/domain"
)

// A source is recorded as a short reference (domain.Source.Ref): an
// address without its scheme ("ictna.ir/id/089605"), a full URL, or a
// citation in words ("seed: ictna / IT Executive Council secretary
// interview, 10 Dec 2023", the reference dataset's label for its seed
// article). The portal shows each as a citation a reader can follow —
// what it is, who published it, when, and a link — never the label.
// What the records do not know (most articles' titles and dates) is said
// to be unknown, not made up: the facts below are those of
// shared/reference/programs-facts.md and the reference dataset.

// citation is a source as a page shows it.
type citation struct {
	Title      string       // what the source is, in the page's language; "" when unknown
	Publisher  string       // who published it
	Latin      bool         // the publisher is written in Latin letters (a site's address): isolate it
	Date       *domain.Date // when it was published; nil when unknown
	URL        string       // where to read it; "" when no address is recorded
	Shown      string       // the address as shown: host and path, without the scheme
	Note       string
	Confidence string
}

// publishers names the publishers of the sources the registry cites, by
// their site's host; a site not named here is shown by its address.
var publishers = map[string]domain.Text{
	"ictna.ir":           {FA: "ایستنا", EN: "ICTNA"},
	"akharinkhabar.ir":   {FA: "آخرین خبر", EN: "Akharin Khabar"},
	"tehrantimes.com":    {FA: "تهران تایمز", EN: "Tehran Times"},
	"ito.gov.ir":         {FA: "سازمان فناوری اطلاعات ایران", EN: "Information Technology Organization of Iran"},
	"itec.gov.ir":        {FA: "شورای اجرایی فناوری اطلاعات", EN: "IT Executive Council"},
	"taadolnewspaper.ir": {FA: "روزنامه تعادل", EN: "Taadol newspaper"},
}

// knownSource is what the reference facts say of one cited source.
type knownSource struct {
	title     domain.Text
	publisher string // a host of publishers, when the reference names no site
	date      *domain.Date
}

func day(y, m, d int) *domain.Date { x := domain.NewDate(y, m, d); return &x }

// knownSources are the sources whose title or date the reference facts
// give, by their reference as recorded.
var knownSources = map[string]knownSource{
	"seed: ictna / IT Executive Council secretary interview, 10 Dec 2023": {
		title:     domain.T("گفت‌وگو با رضا باقری، دبیر شورای اجرایی فناوری اطلاعات", "Interview with Reza Bagheri, secretary of the IT Executive Council"),
		publisher: "ictna.ir", date: day(2023, 12, 10)},
	"akharinkhabar.ir/tech/6707593": {
		title: domain.T("گزارش سازمان فناوری اطلاعات ایران با فهرست ۲۳ پروژه اولویت‌دار", "The Information Technology Organization's report listing the 23 priority projects")},
	// The article the reference facts date 1403/04/17.
	"esfahanertebat.ir": {date: day(2024, 7, 7)},
}

// hostRef is a reference written as an address without its scheme.
var hostRef = regexp.MustCompile(`^(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})(/\S*)?$`)

// cite makes the citation of a source in l.
func (l Lang) cite(s domain.Source) citation {
	ref := strings.TrimSpace(s.Ref)
	c := citation{Note: s.Note, Confidence: s.Confidence}
	known, isKnown := knownSources[ref]
	host := ""
	switch {
	case strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://"):
		if u, err := url.Parse(ref); err == nil && u.Host != "" {
			c.URL, host = u.String(), strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
			c.Shown = strings.TrimSuffix(host+u.EscapedPath(), "/")
		}
	case hostRef.MatchString(strings.ToLower(ref)):
		m := hostRef.FindStringSubmatch(strings.ToLower(ref))
		host = m[1]
		c.URL, c.Shown = "https://"+ref, ref
	case isKnown:
		host = known.publisher
	default:
		// A citation in words: shown as it is, without the dataset's
		// "seed:" label.
		c.Title = strings.TrimSpace(strings.TrimPrefix(ref, "seed:"))
	}
	if isKnown {
		c.Title, c.Date = l.Text(known.title), known.date
	}
	if p, ok := publishers[host]; ok {
		c.Publisher = l.Text(p)
	} else if host != "" {
		c.Publisher, c.Latin = host, true
	}
	return c
}
