package minutes

import (
	"encoding/xml"
	"strconv"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/seal"
)

// Feed is an Atom feed (RFC 4287).
type Feed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"xml:lang,attr"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  Person   `xml:"author"`
	Links   []Link   `xml:"link"`
	Entries []Entry  `xml:"entry"`
}

// Person is an Atom person construct.
type Person struct {
	Name string `xml:"name"`
}

// Link is an Atom link.
type Link struct {
	Rel   string `xml:"rel,attr,omitempty"`
	Href  string `xml:"href,attr"`
	Type  string `xml:"type,attr,omitempty"`
	Title string `xml:"title,attr,omitempty"`
}

// Entry is one decision in the feed.
type Entry struct {
	ID        string  `xml:"id"`
	Title     string  `xml:"title"`
	Updated   string  `xml:"updated"`
	Published string  `xml:"published"`
	Links     []Link  `xml:"link"`
	Category  []Cat   `xml:"category"`
	Content   Content `xml:"content"`
}

// Cat is an Atom category: here, a project the decision concerns.
type Cat struct {
	Term string `xml:"term,attr"`
}

// Content is an entry's text.
type Content struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// FeedID is the feed's permanent id. Entry ids are tag URIs (RFC 4151)
// under the same authority, so they never change when the server moves.
const FeedID = "tag:pishran.example,2026:decisions"

// Atom renders decisions (newest first) as an Atom feed in a language.
// base is prefixed to the links (empty: links relative to the server); now is the feed's
// updated time when there is no decision.
func Atom(decisions []*domain.Decision, lang, base string, now time.Time) ([]byte, error) {
	if lang != "en" {
		lang = "fa"
	}
	f := formatter{lang: lang}
	feed := Feed{Lang: lang, ID: FeedID,
		Title:  domain.T("مصوبات شورای اجرایی فناوری اطلاعات و کمیته‌های آن", "Decisions of the IT Executive Council and its committees").In(lang),
		Author: Person{Name: domain.T("دبیرخانه شورای اجرایی فناوری اطلاعات", "Secretariat of the IT Executive Council").In(lang)},
		Links: []Link{{Rel: "self", Href: base + "/api/v1/decisions.atom?lang=" + lang, Type: "application/atom+xml"},
			{Rel: "alternate", Href: base + "/api/v1/decisions", Type: "application/json"}},
		Updated: now.UTC().Format(time.RFC3339)}
	for i, d := range decisions {
		at := d.RecordedAt.UTC().Format(time.RFC3339)
		if i == 0 {
			feed.Updated = at
		}
		title := domain.T("مصوبه "+f.digits(d.Resolution)+" — جلسه "+f.num(d.Number)+" "+d.SeriesName.In("fa"),
			"Resolution "+d.Resolution+" — "+d.SeriesName.In("en")+", session "+strconv.Itoa(d.Number)).In(lang)
		body := d.Text.In(lang) + "\n\n" + domain.T("تاریخ جلسه: ", "Meeting date: ").In(lang) + f.date(d.Date)
		e := Entry{ID: FeedID + ":" + strconv.FormatInt(d.ID, 10), Title: title, Updated: at, Published: at,
			Links:   []Link{{Rel: "alternate", Href: base + "/api/v1/meetings/" + d.Meeting + "/minutes?lang=" + lang + "&format=html", Type: "text/html"}},
			Content: Content{Type: "text", Body: body}}
		if c := d.VerificationCode; c != "" {
			// The signed decision: its code, and the page that checks it.
			u := seal.URL(base, c)
			e.Links = append(e.Links, Link{Rel: "related", Href: u, Type: "text/html",
				Title: domain.T("تصدیق مصوبه", "Verify the decision").In(lang)})
			e.Content.Body += "\n" + domain.T("کد تصدیق: ", "Verification code: ").In(lang) + c + " — " + u
		}
		for _, p := range d.Projects {
			e.Category = append(e.Category, Cat{Term: p})
		}
		feed.Entries = append(feed.Entries, e)
	}
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}
