package minutes_test

import (
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/qrdecode"
	"github.com/pishran/pishran/minutes"
)

func sample() minutes.Input {
	due := domain.MustDate("2024-03-01")
	closed := time.Date(2024, 2, 2, 8, 30, 0, 0, time.UTC)
	return minutes.Input{
		Series: &domain.Series{Code: "itec", Name: domain.T("شورای اجرایی فناوری اطلاعات", "IT Executive Council")},
		Meeting: &domain.Meeting{ID: "itec-26", Series: "itec", Number: 26, Date: domain.MustDate("2023-11-20"), State: domain.MeetingClosed,
			ClosedAt:  &closed,
			Attendees: []domain.Attendee{{Name: domain.T("رضا", "Reza"), Role: domain.T("دبیر", "secretary"), Agency: "ito"}},
			Agenda: []domain.AgendaItem{
				{Kind: domain.AgendaProject, Project: "e-tax", Title: domain.T("مالیات", "E-tax"), Reasons: []domain.AgendaReason{domain.ReasonMainProject}},
				{Kind: domain.AgendaOther, Title: domain.T("سایر", "Other"), Dropped: true, DropReason: domain.T("وقت نبود", "no time")},
			},
			Outcomes: []domain.Outcome{
				{Kind: domain.OutcomeDecision, Resolution: "26/1", Text: domain.T("<script>alert(1)</script> *تصویب* شد", "<script>alert(1)</script> *approved* [x](y)"), Projects: []string{"e-tax"}},
				{Kind: domain.OutcomeAction, Action: 7, Owner: "ito", Due: &due, Description: domain.T("گزارش", "report"), Projects: []string{}},
			},
			Amendments: []domain.Amendment{{Text: domain.T("اصلاح", "correction"), RecordedBy: "sec", RecordedAt: closed}},
		},
		Projects: map[string]domain.Text{"e-tax": domain.T("مالیات الکترونیک", "E-tax")},
		Agencies: map[string]domain.Text{"ito": domain.T("سازمان فناوری اطلاعات", "ITO")},
	}
}

func render(t *testing.T, lang, format string) string {
	t.Helper()
	b, err := minutes.Render(sample(), lang, format)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHTMLEscapesAndDirection(t *testing.T) {
	fa := render(t, "fa", "html")
	for _, s := range []string{`<html lang="fa" dir="rtl">`, "&lt;script&gt;", "۱۴۰۲/۰۸/۲۹", `datetime="2023-11-20"`, "مالیات الکترونیک",
		"۱۴۰۲/۱۲/۱۱", "سازمان فناوری اطلاعات", "وقت نبود", "اصلاح"} {
		if !strings.Contains(fa, s) {
			t.Errorf("Persian HTML lacks %q", s)
		}
	}
	en := render(t, "en", "html")
	for _, s := range []string{`<html lang="en" dir="ltr">`, "2023-11-20", "2024-03-01", "ITO", "IT Executive Council, session 26"} {
		if !strings.Contains(en, s) {
			t.Errorf("English HTML lacks %q", s)
		}
	}
	for _, page := range []string{fa, en} {
		if strings.Contains(strings.ToLower(page), "<script") {
			t.Errorf("a page holds a script element:\n%s", page)
		}
	}
}

func TestMarkdownEscapes(t *testing.T) {
	en := render(t, "en", "md")
	for _, s := range []string{`\*approved\*`, `\[x\](y)`, `\<script\>`, "~~Other~~", "no time", "**Resolution 26/1:**", "2023-11-20"} {
		if !strings.Contains(en, s) {
			t.Errorf("English Markdown lacks %q:\n%s", s, en)
		}
	}
	fa := render(t, "fa", "md")
	if !strings.Contains(fa, "۱۴۰۲/۰۸/۲۹") || !strings.Contains(fa, "1. مالیات") || !strings.Contains(fa, "مسئول: سازمان فناوری اطلاعات؛") {
		t.Errorf("Persian Markdown:\n%s", fa)
	}
}

func TestAtom(t *testing.T) {
	ds := []*domain.Decision{{ID: 3, Meeting: "itec-26", Series: "itec", SeriesName: domain.T("شورا", "Council"), Number: 26,
		Date: domain.MustDate("2023-11-20"), Resolution: "26/1", Text: domain.T("متن <b>", "text <b> & more"),
		Projects: []string{"e-tax"}, RecordedAt: time.Date(2023, 11, 20, 10, 0, 0, 0, time.UTC)}}
	b, err := minutes.Atom(ds, "en", "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var f minutes.Feed
	if err := xml.Unmarshal(b, &f); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b)
	}
	if f.ID == "" || f.Updated != "2023-11-20T10:00:00Z" || len(f.Entries) != 1 {
		t.Fatalf("feed %+v", f)
	}
	e := f.Entries[0]
	if e.ID != minutes.FeedID+":3" || e.Title != "Resolution 26/1 — Council, session 26" || !strings.HasPrefix(e.Content.Body, "text <b> & more") {
		t.Errorf("entry %+v", e)
	}
	empty, err := minutes.Atom(nil, "fa", "", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	var g minutes.Feed
	if err != nil || xml.Unmarshal(empty, &g) != nil || g.Updated != "2024-01-01T00:00:00Z" || len(g.Entries) != 0 {
		t.Errorf("empty feed: %v %s", err, empty)
	}
}

// TestSealOnMinutes: closed minutes show their verification code, the
// verification page's address and a QR code of it (inline SVG in HTML, the
// image's address in Markdown), and each published decision its own code.
func TestSealOnMinutes(t *testing.T) {
	in := sample()
	in.Base = "https://pishran.example.ir/"
	in.Meeting.VerificationCode = "7K3QX-2M9PA"
	in.Meeting.Outcomes[0].VerificationCode = "ABCDE-FGHJ0"
	const page, decision = "https://pishran.example.ir/verify/7K3QX-2M9PA", "https://pishran.example.ir/verify/ABCDE-FGHJ0"
	for _, lang := range minutes.Langs {
		html, err := minutes.Render(in, lang, "html")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"7K3QX-2M9PA", `href="` + page + `"`, `href="` + decision + `"`, "ABCDE-FGHJ0",
			map[string]string{"fa": "کد تصدیق", "en": "Verification code"}[lang]} {
			if !strings.Contains(string(html), want) {
				t.Errorf("%s HTML lacks %q", lang, want)
			}
		}
		svg := regexp.MustCompile(`(?s)<svg .*?</svg>`).Find(html)
		if got, err := qrdecode.SVG(svg, 4); err != nil || got != page {
			t.Errorf("%s HTML: the QR code reads %q (%v)", lang, got, err)
		}
		md, err := minutes.Render(in, lang, "md")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"`7K3QX-2M9PA` — <" + page + ">", "(" + page + "/qr.svg)", "`ABCDE-FGHJ0` — <" + decision + ">"} {
			if !strings.Contains(string(md), want) {
				t.Errorf("%s Markdown lacks %q:\n%s", lang, want, md)
			}
		}
	}
	// Without a code (a meeting not closed), nothing of the kind.
	plain := render(t, "en", "html")
	if strings.Contains(plain, "Verification code") || strings.Contains(plain, "<svg") {
		t.Error("minutes without a code show a verification block")
	}
}
