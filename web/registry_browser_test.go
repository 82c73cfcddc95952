package web_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// TestBrowserRegistryJourney: a fresh install with the reference data and
// nothing else (as `pishran serve --reference` starts), in Persian, in the
// browser only. The first admin is made through the setup link serve
// prints; the admin makes the secretariat's account, whose one-time link
// sets its password. The secretariat asks to designate a reference project
// (e-signature, recorded with no agencies, mandate, scope nor deliverable)
// into the 13th government's list: the rules refuse it, each failure
// linking to the field of the project's form that fixes it. Following the
// legal-mandate link, the secretariat completes the record — a mistake
// (a law with no article) shown beside its field first — and designates
// the project. No step uses the API or the CLI.
func TestBrowserRegistryJourney(t *testing.T) {
	b := newBrowser(t)
	ctx := context.Background()
	const password = "a long secretariat passphrase"
	link, err := b.svc.SetupLink(ctx) // what serve prints on a fresh install
	if err != nil {
		t.Fatal(err)
	}

	// The first admin, through the setup page.
	tb := b.open(t, "/setup/"+link.Token, 1280, 900)
	tb.do(t, chromedp.SetValue(chromedp.CSS(`input[name=username]`), "modir"),
		chromedp.SetValue(chromedp.CSS(`input[name=display_fa]`), "مدیر سامانه"),
		chromedp.SetValue(chromedp.CSS(`input[name=password]`), "the first admin's passphrase"),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)))
	tb.waitFor(t, `document.body.innerText.includes("وارد شدید")`)

	// The admin makes the secretariat's account and hands over its link.
	tb.do(t, chromedp.Navigate(b.URL+"/staff/accounts?lang=fa"))
	tb.waitFor(t, `document.getElementById("account-username")`)
	tb.do(t, chromedp.SetValue(chromedp.ID("account-username"), "dabir"),
		chromedp.SetValue(chromedp.ID("account-name-fa"), "دبیرخانه شورا"),
		chromedp.SetValue(chromedp.ID("account-role"), "secretariat"),
		chromedp.Click(chromedp.CSS(`form[action="/staff/accounts"] button[type=submit]`)))
	tb.waitFor(t, `document.getElementById("account-link")`)
	setLink, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.getElementById("account-link").value`))
	if err != nil || !strings.Contains(setLink, "/reset/") {
		t.Fatalf("the new account's link: %q %v", setLink, err)
	}
	tb.do(t, chromedp.Navigate(setLink))
	tb.waitFor(t, `document.querySelector("input[name=password]")`)
	tb.do(t, chromedp.SetValue(chromedp.CSS(`input[name=password]`), password), chromedp.Click(chromedp.CSS(`button[type=submit]`)))
	tb.waitFor(t, `document.body.innerText.includes("وارد شدید")`)

	// The registry's index says what each reference project lacks. (A
	// tab lives 60 s: each part of the journey opens its own, signed in
	// by the cookie the browser keeps.)
	tb = b.open(t, "/staff?lang=fa", 1280, 900)
	tb.waitFor(t, `document.querySelector('.staff-nav a[href="/staff/registry"]')`)
	tb.do(t, chromedp.Click(chromedp.CSS(`.staff-nav a[href="/staff/registry"]`)))
	tb.waitFor(t, `document.querySelector('a[href="/staff/projects/e-signature/edit"]')`)
	lacks, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('a[href="/staff/projects/e-signature/edit"]').parentElement.innerText`))
	if err != nil || !strings.Contains(lacks, "برای تعیین کم دارد") || !strings.Contains(lacks, "پشتوانه قانونی") {
		t.Errorf("e-signature's row in the registry: %q %v", lacks, err)
	}
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "registry-index-fa")

	// The secretariat tries to designate e-signature: refused, every
	// failure with a link to its field.
	const designate = "/staff/programs/gov13-smart-driving/designate"
	tb.do(t, chromedp.Click(chromedp.CSS(`.staff-nav a[href="/staff/programs"]`)))
	tb.waitFor(t, `document.querySelector('a[href="`+designate+`"]')`)
	b.check(t, tb, "fa")
	tb.do(t, chromedp.Click(chromedp.CSS(`a[href="`+designate+`"]`)))
	tb.waitFor(t, `document.getElementById("designate-project")`)
	tb.do(t, chromedp.SetValue(chromedp.ID("designate-project"), "e-signature"),
		chromedp.Click(chromedp.CSS(`.designate-form button[formmethod=get]`)))
	broken := `[...document.querySelectorAll('#verdicts .verdict-fail')].map(li => li.getAttribute('data-rule')).join(' ')`
	tb.waitFor(t, broken+` === "legal-mandate multi-agency specific-scope"`)
	fixes, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#verdicts a.fix-link')].map(a => a.getAttribute('href'))`))
	if err != nil || !slices.Contains(fixes, "/staff/projects/e-signature/edit#sec-mandates") ||
		!slices.Contains(fixes, "/staff/projects/e-signature/edit#sec-agencies") || !slices.Contains(fixes, "/staff/projects/e-signature/edit#f-scope-fa") {
		t.Fatalf("the remedies' links: %v %v", fixes, err)
	}
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "registry-designate-refused-fa")

	// The legal-mandate remedy opens the project's form at its mandates.
	tb.do(t, chromedp.Click(chromedp.CSS(`#verdicts li[data-rule="legal-mandate"] a.fix-link`)))
	tb.waitFor(t, `location.pathname === "/staff/projects/e-signature/edit" && location.hash === "#sec-mandates" && document.getElementById("sec-mandates")`)
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "registry-project-form-fa")
	tb = b.open(t, "/staff/projects/e-signature/edit?lang=fa#sec-mandates", 1280, 900)
	tb.waitFor(t, `document.getElementById("f-scope-fa")`)
	tb.do(t,
		chromedp.SetValue(chromedp.ID("f-scope-fa"), "امضای الکترونیکی مکاتبات و خدمات دستگاه‌های اجرایی در سراسر کشور"),
		chromedp.SetValue(chromedp.ID("f-lead"), "ict"),
		chromedp.Click(chromedp.CSS(`input[name=participants][value=pbo]`)),
		chromedp.SetValue(chromedp.ID("f-mandates-0-law"), "constitution"),
		chromedp.SetValue(chromedp.ID("f-deliverables-0-title-fa"), "امضای الکترونیکی مکاتبات اداری"),
		chromedp.SetValue(chromedp.ID("f-deliverables-0-indicator-fa"), "سهم مکاتبات امضاشده الکترونیکی"),
		chromedp.SetValue(chromedp.ID("f-deliverables-0-target"), "۱۰۰٪"),
		chromedp.SetValue(chromedp.ID("f-deliverables-0-due"), "۱۴۰۶/۰۶/۳۱"),
		chromedp.Click(chromedp.CSS(`.registry-form .button-row button[type=submit]`)))
	// The law without its article: said beside the article, in Persian.
	tb.waitFor(t, `document.getElementById("f-mandates-0-article-error")`)
	tb.forgive(t, "status of 422")
	msg, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.getElementById("f-mandates-0-article-error").innerText`))
	if err != nil || !strings.Contains(msg, "ماده قانون مشخص نیست") {
		t.Errorf("beside the article: %q %v", msg, err)
	}
	if text := tb.text(t); strings.Contains(text, "mandates[0]") {
		t.Error("the page names the API path")
	}
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "registry-project-field-error-fa")
	tb.do(t, chromedp.SetValue(chromedp.ID("f-mandates-0-article"), "۱۳۸"),
		chromedp.Click(chromedp.CSS(`.registry-form .button-row button[type=submit]`)))
	tb.waitFor(t, `location.search.includes("saved=1") && document.querySelector('.notice[role=status]')`)
	if v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.getElementById("f-deliverables-0-due").value`)); err != nil || v != "۱۴۰۶/۰۶/۳۱" {
		t.Errorf("the due day as the form shows it again: %q %v", v, err)
	}
	b.check(t, tb, "fa")

	// Designated: every rule met.
	tb = b.open(t, designate+"?lang=fa", 1280, 900)
	tb.waitFor(t, `document.getElementById("designate-project")`)
	tb.do(t, chromedp.SetValue(chromedp.ID("designate-project"), "e-signature"),
		chromedp.Click(chromedp.CSS(`.designate-form button[formmethod=get]`)))
	tb.waitFor(t, `document.querySelector('#verdicts .verdict-ok') && document.querySelectorAll('#verdicts .verdict-fail').length === 0`)
	tb.do(t, chromedp.Click(chromedp.CSS(`.designate-form > p > button[type=submit]`)))
	tb.waitFor(t, `location.search.includes("done=e-signature") && document.querySelector('.notice')`)
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "registry-designated-fa")

	ms, _, err := b.svc.Members(ctx, service.System, "gov13-smart-driving", domain.MemberFilter{ActiveOnly: true}, domain.Page{})
	if err != nil || !slices.ContainsFunc(ms, func(m *domain.Member) bool { return m.Project == "e-signature" }) {
		t.Errorf("e-signature is not on the list: %v", err)
	}
	p, err := b.svc.Project(ctx, service.System, "e-signature")
	if err != nil || p.Lead() != "ict" || len(p.Agencies) != 2 || len(p.Mandates) != 1 || p.Mandates[0].Article != "138" ||
		p.Deliverables[0].Due == nil || p.Deliverables[0].Due.String() != "2027-09-22" {
		t.Errorf("the record as completed: %+v %v", p, err)
	}
}
