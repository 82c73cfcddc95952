// Package designation holds the rules a project must meet to be designated
// into a program (a list of driving projects). The rules follow the IT
// Executive Council's own account of what belongs on the list: every project
// rests on a specific law, needs several agencies to cooperate, can be
// reported to the people, and is specific enough to be implemented and
// followed up.
//
// The package is pure: the caller gathers an Input (inside one transaction)
// and Check judges it. Blocking violations refuse the designation; warnings
// let it through but tell the council what it should know.
package designation

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
)

// Input is everything the rules need, gathered by the caller inside one
// transaction.
type Input struct {
	Project  *domain.Project
	Program  *domain.Program
	Agencies map[string]*domain.Agency // the agencies the project names, by code (missing = does not exist)
	Laws     map[string]*domain.Law    // the laws the project's mandates name, by slug (missing = does not exist)
	Member   bool                      // the project is already an active member of the program
	// Infrastructure: infrastructure projects already in service (status
	// implemented or in-progress) other than the project itself. The caller
	// may pass only those sharing a capability with the project: no other
	// can trigger a rule.
	Infrastructure []*domain.Project
	// Exchange is what the National Information Exchange shows of the
	// project's declared integrations; nil when it declares none (then
	// nothing is said). It informs, never blocks: multi-agency notes the
	// agencies exchanging data and since when, warns of those the exchange
	// shows exchanging nothing, and says when nothing is known.
	Exchange *ExchangeEvidence
}

// ExchangeEvidence is what the National Information Exchange shows of a
// project's declared integrations.
type ExchangeEvidence struct {
	// Imported: some exchange telemetry has been imported at all. When
	// none has, nothing is known either way and the rule says so, without
	// a warning.
	Imported bool
	// Exchanging: the agencies at one end of a declared integration with
	// recent successful traffic whose other end is another agency.
	Exchanging map[string]bool
	// Links: the pairs of the project's agencies the exchange shows
	// exchanging data, each with its first successful exchange.
	Links []ExchangeLink
}

// ExchangeLink is one pair of agencies the exchange shows exchanging data
// (the client's and the provider's) since its first successful exchange.
type ExchangeLink struct {
	Client, Provider string
	Since            time.Time
}

// Rule is one designation rule. Severity is the rule's usual severity; a rule
// may also report warnings of its own (specific-scope warns of umbrella
// titles), which carry their own severity.
type Rule struct {
	ID       string
	Severity domain.Severity
	Title    domain.Text
	Explain  domain.Text
	Check    func(Input) []domain.Violation
}

// Rule ids.
const (
	RuleLegalMandate         = "legal-mandate"
	RuleMultiAgency          = "multi-agency"
	RulePubliclyReportable   = "publicly-reportable"
	RuleSpecificScope        = "specific-scope"
	RuleDuplicate            = "duplicate"
	RuleProgramOpen          = "program-open"
	RuleProjectActive        = "project-active"
	RuleSupersededCapability = "superseded-capability"
)

// Rules returns the rule set in a stable order. The slice is fresh on every
// call; callers may keep or change it.
func Rules() []Rule {
	return []Rule{
		{
			ID: RuleLegalMandate, Severity: domain.Blocking,
			Title: domain.T("پشتوانه قانونی", "Legal mandate"),
			Explain: domain.T(
				"هر پروژه پیشران باید بر پایه قانونی مشخص اجرا شود: دست‌کم یک مستند قانونی (قانون و ماده آن) لازم است و قانون و ماده باید در سامانه ثبت شده باشند.",
				"Every driving project must be implemented on the basis of a specific law: at least one mandate (a law and its article) is required, and the law and article must be on record."),
			Check: checkLegalMandate,
		},
		{
			ID: RuleMultiAgency, Severity: domain.Blocking,
			Title: domain.T("چنددستگاهی", "Multi-agency"),
			Explain: domain.T(
				"پروژه‌ای که فقط یک دستگاه اجرا می‌کند در فهرست نمی‌آید؛ دست‌کم دو دستگاه متمایز باید در اجرا همکاری کنند و دقیقاً یکی از آن‌ها دستگاه راهبر باشد.",
				"Projects that only one agency implements are not listed: at least two distinct agencies must cooperate in the implementation, exactly one of them as lead."),
			Check: checkMultiAgency,
		},
		{
			ID: RulePubliclyReportable, Severity: domain.Blocking,
			Title: domain.T("گزارش‌پذیری به مردم", "Publicly reportable"),
			Explain: domain.T(
				"فهرست عمومی به مردم گزارش می‌شود؛ پروژه‌ای که سراسر محرمانه است و از آن نمی‌توان گزارش گرفت یا به مردم گزارش داد را نمی‌توان در آن آورد و آوردن پروژه با دسترسی محدود نیازمند توجه شوراست.",
				"A public list is reported to the people: a confidential project, one nobody can take reports from or report to the people, cannot join it, and a restricted project joining it needs the council's attention."),
			Check: checkPubliclyReportable,
		},
		{
			ID: RuleSpecificScope, Severity: domain.Blocking,
			Title: domain.T("دامنه مشخص", "Specific scope"),
			Explain: domain.T(
				"پروژه باید دامنه‌ای مشخص و دست‌کم یک خروجی سنجش‌پذیر (شاخص و مقدار هدف) داشته باشد. عنوانی که نام یک حوزه کامل است (مانند «بانکداری الکترونیک») هشدار می‌گیرد، چون روشن نیست کدام بخش آن اجرا می‌شود.",
				"A project needs a stated scope and at least one measurable deliverable (an indicator and a target). A title that names a whole domain (such as \"electronic banking\") draws a warning, since it does not say which part is to be implemented."),
			Check: checkSpecificScope,
		},
		{
			ID: RuleDuplicate, Severity: domain.Blocking,
			Title: domain.T("عضویت تکراری", "Already a member"),
			Explain: domain.T(
				"پروژه‌ای که هم‌اکنون عضو فعال فهرست است دوباره تعیین نمی‌شود.",
				"A project that is already an active member of the list is not designated again."),
			Check: checkDuplicate,
		},
		{
			ID: RuleProgramOpen, Severity: domain.Blocking,
			Title: domain.T("فهرست باز", "Open list"),
			Explain: domain.T(
				"به فهرستی که بسته شده است پروژه‌ای افزوده نمی‌شود.",
				"No project can be designated into a list that has been closed."),
			Check: checkProgramOpen,
		},
		{
			ID: RuleProjectActive, Severity: domain.Blocking,
			Title: domain.T("پروژه فعال", "Active project"),
			Explain: domain.T(
				"پیگیری پروژه تا اجرای کامل آن ادامه دارد؛ پروژه اجراشده چیزی برای پیگیری ندارد و پروژه کنارگذاشته‌شده تعیین نمی‌شود.",
				"A project is followed up until it is implemented: an implemented project has nothing left to follow, and a withdrawn project cannot be designated."),
			Check: checkProjectActive,
		},
		{
			ID: RuleSupersededCapability, Severity: domain.Warning,
			Title: domain.T("قابلیت موجود در زیرساخت", "Capability already in infrastructure"),
			Explain: domain.T(
				"پروژه خدمتی که قابلیتش را یک پروژه زیرساختی در حال بهره‌برداری فراهم می‌کند ممکن است دیگر لازم نباشد؛ مانند استعلام‌ها که اکنون از راه مرکز ملی تبادل اطلاعات ممکن است.",
				"A service project whose capability an infrastructure project in service already provides may no longer be needed, as inquiries became possible through the National Information Exchange Center."),
			Check: checkSupersededCapability,
		},
	}
}

// Check runs every rule and returns all violations, blocking and warnings, in
// rule order. It never stops at the first failure, so the caller can show or
// fix them all at once.
func Check(in Input) []domain.Violation {
	var out []domain.Violation
	for _, r := range Rules() {
		out = append(out, r.Check(in)...)
	}
	return out
}

func violation(rule string, sev domain.Severity, field string, msg, fix domain.Text) domain.Violation {
	return domain.Violation{Rule: rule, Severity: sev, Field: field, Message: msg, Fix: fix}
}

// quoteFA and quoteEN quote a name in each language's manner.
func quoteFA(s string) string { return "«" + s + "»" }
func quoteEN(s string) string { return "\u201c" + s + "\u201d" }

// --- legal-mandate ---------------------------------------------------------

func checkLegalMandate(in Input) []domain.Violation {
	p := in.Project
	if p == nil {
		return nil
	}
	if len(p.Mandates) == 0 {
		return []domain.Violation{violation(RuleLegalMandate, domain.Blocking, "mandates",
			domain.T("پروژه هیچ مستند قانونی ندارد؛ پروژه‌های پیشران باید بر پایه قانونی مشخص اجرا شوند.",
				"the project has no legal mandate; driving projects must be implemented on the basis of a specific law"),
			domain.T("دست‌کم یک مستند قانونی (قانون و شماره ماده) به پروژه بیفزایید.",
				"add at least one mandate: a law and the number of its article"))}
	}
	var out []domain.Violation
	for _, m := range p.Mandates {
		law := in.Laws[m.Law]
		if law == nil {
			out = append(out, violation(RuleLegalMandate, domain.Blocking, "mandates",
				domain.T("قانون "+quoteFA(m.Law)+" در سامانه ثبت نشده است.",
					"the law "+quoteEN(m.Law)+" is not on record"),
				domain.T("شناسه قانون را اصلاح کنید یا نخست قانون را ثبت کنید.",
					"correct the law's slug, or record the law first")))
			continue
		}
		if !law.HasArticle(m.Article) {
			out = append(out, violation(RuleLegalMandate, domain.Blocking, "mandates",
				domain.T("ماده "+quoteFA(m.Article)+" در قانون "+quoteFA(law.Title.In("fa"))+" ثبت نشده است.",
					"article "+quoteEN(m.Article)+" is not listed in the law "+quoteEN(law.Title.In("en"))),
				domain.T("شماره ماده را مطابق مواد ثبت‌شده قانون اصلاح کنید یا ماده را به قانون بیفزایید.",
					"correct the article number to one the law lists, or add the article to the law")))
		}
	}
	return out
}

// --- multi-agency ----------------------------------------------------------

func checkMultiAgency(in Input) []domain.Violation {
	p := in.Project
	if p == nil {
		return nil
	}
	var out []domain.Violation
	distinct := map[string]bool{}
	leads := 0
	for _, a := range p.Agencies {
		if a.Role == domain.RoleLead {
			leads++
		}
		if distinct[a.Agency] {
			continue
		}
		distinct[a.Agency] = true
		if in.Agencies[a.Agency] == nil {
			out = append(out, violation(RuleMultiAgency, domain.Blocking, "agencies",
				domain.T("دستگاه "+quoteFA(a.Agency)+" در سامانه ثبت نشده است.",
					"the agency "+quoteEN(a.Agency)+" is not on record"),
				domain.T("کد دستگاه را اصلاح کنید یا نخست دستگاه را ثبت کنید.",
					"correct the agency code, or record the agency first")))
		}
	}
	if len(distinct) < 2 {
		out = append(out, violation(RuleMultiAgency, domain.Blocking, "agencies",
			domain.T("پروژه‌ای که فقط یک دستگاه اجرا می‌کند در فهرست نمی‌آید؛ دست‌کم دو دستگاه باید در اجرای آن همکاری کنند.",
				"projects that only one agency implements are not listed; at least two agencies must cooperate in implementing it"),
			domain.T("دستگاه‌های همکار را با نقش «مشارکت‌کننده» بیفزایید؛ اگر پروژه واقعاً یک‌دستگاهی است، جای آن در این فهرست نیست.",
				"add the cooperating agencies with the role \"participant\"; if only one agency really implements it, it does not belong on this list")))
	}
	switch {
	case leads == 0:
		out = append(out, violation(RuleMultiAgency, domain.Blocking, "agencies",
			domain.T("پروژه دستگاه راهبر ندارد.", "the project has no lead agency"),
			domain.T("دقیقاً یک دستگاه را با نقش «راهبر» مشخص کنید.", "give exactly one agency the role \"lead\"")))
	case leads > 1:
		out = append(out, violation(RuleMultiAgency, domain.Blocking, "agencies",
			domain.T("پروژه بیش از یک دستگاه راهبر دارد.", "the project has more than one lead agency"),
			domain.T("فقط یک دستگاه راهبر بماند و دیگران «مشارکت‌کننده» شوند.",
				"keep one lead agency and make the others participants")))
	}
	if in.Exchange != nil && len(distinct) >= 2 {
		out = append(out, exchangeFindings(in.Exchange, p, distinct)...)
	}
	return out
}

// exchangeFindings is what the multi-agency rule says of the exchange:
// a note when no telemetry has been imported (nothing is known, which is
// no fault of the project); else a note per pair of agencies the exchange
// shows exchanging data, since their first successful exchange, and a
// warning per agency it shows exchanging nothing.
func exchangeFindings(ev *ExchangeEvidence, p *domain.Project, distinct map[string]bool) []domain.Violation {
	if !ev.Imported {
		return []domain.Violation{violation(RuleMultiAgency, domain.Note, "agencies",
			domain.T("هنوز هیچ داده‌ای از مرکز ملی تبادل اطلاعات وارد نشده است؛ دانسته نیست که دستگاه‌های پروژه از راه آن داده تبادل می‌کنند یا نه.",
				"no data from the National Information Exchange has been imported yet: nothing is known of whether the project's agencies exchange data through it"),
			domain.T("گزارش پایش عملیاتی مرکز تبادل را وارد کنید (pishran exchange import یا ارسال گرداننده مرکز).",
				"import the exchange's operational-monitoring records (pishran exchange import, or the operator's push)"))}
	}
	var out []domain.Violation
	links := slices.Clone(ev.Links)
	slices.SortFunc(links, func(a, b ExchangeLink) int {
		return cmp.Or(a.Since.Compare(b.Since), cmp.Compare(a.Client, b.Client), cmp.Compare(a.Provider, b.Provider))
	})
	said := map[[2]string]bool{}
	for _, l := range links {
		pair := [2]string{min(l.Client, l.Provider), max(l.Client, l.Provider)}
		if said[pair] || l.Client == l.Provider || !distinct[l.Client] || !distinct[l.Provider] {
			continue
		}
		said[pair] = true // the earliest link of the pair
		y, m, d := l.Since.UTC().Date()
		out = append(out, violation(RuleMultiAgency, domain.Note, "agencies",
			domain.T("مرکز ملی تبادل اطلاعات نشان می‌دهد که دستگاه "+quoteFA(l.Client)+" و دستگاه "+quoteFA(l.Provider)+" از "+jalali.PersianDigits(jalali.Format(y, int(m), d))+" داده تبادل می‌کنند.",
				"the National Information Exchange shows the agencies "+quoteEN(l.Client)+" and "+quoteEN(l.Provider)+" exchanging data since "+l.Since.UTC().Format("2006-01-02")),
			domain.T("کاری لازم نیست؛ وضعیت زنده هر تبادل در بخش تبادل‌های پروژه آمده است.",
				"nothing to do: each integration's live status is on the project's integrations")))
	}
	warned := map[string]bool{}
	for _, a := range p.Agencies {
		if ev.Exchanging[a.Agency] || !distinct[a.Agency] || warned[a.Agency] {
			continue
		}
		warned[a.Agency] = true // once per agency
		out = append(out, violation(RuleMultiAgency, domain.Warning, "agencies",
			domain.T("مرکز ملی تبادل اطلاعات هیچ تبادل موفق اخیری میان دستگاه "+quoteFA(a.Agency)+" و دستگاه‌های دیگر پروژه نشان نمی‌دهد.",
				"the National Information Exchange shows no recent successful exchange between the agency "+quoteEN(a.Agency)+" and the project's other agencies"),
			domain.T("تبادل‌های اعلام‌شده پروژه و نگاشت شناسه‌های تبادل به دستگاه‌ها را بازبینی کنید.",
				"review the project's declared integrations and the mapping of exchange identities to agencies")))
	}
	return out
}

// --- publicly-reportable ---------------------------------------------------

func checkPubliclyReportable(in Input) []domain.Violation {
	p, prog := in.Project, in.Program
	if p == nil || prog == nil || prog.Visibility != domain.VisibilityPublic {
		return nil
	}
	switch p.Confidentiality {
	case domain.Confidential:
		return []domain.Violation{violation(RulePubliclyReportable, domain.Blocking, "confidentiality",
			domain.T("پروژه محرمانه است و نمی‌توان از آن گزارش گرفت یا به مردم گزارش داد؛ پس در فهرست عمومی "+quoteFA(prog.Title.In("fa"))+" نمی‌آید.",
				"the project is confidential: it cannot be reported on, nor reported to the people, so it cannot join the public list "+quoteEN(prog.Title.In("en"))),
			domain.T("پروژه را در فهرستی با دسترسی محدود پیگیری کنید، یا اگر محرمانگی آن برداشته شده است، سطح دسترسی را تغییر دهید.",
				"follow the project up in a restricted list, or, if it is no longer confidential, change its confidentiality"))}
	case domain.Restricted:
		return []domain.Violation{violation(RulePubliclyReportable, domain.Warning, "confidentiality",
			domain.T("دسترسی به پروژه محدود است ولی فهرست "+quoteFA(prog.Title.In("fa"))+" عمومی است و به مردم گزارش می‌شود.",
				"the project is restricted, but the list "+quoteEN(prog.Title.In("en"))+" is public and is reported to the people"),
			domain.T("روشن کنید کدام بخش از گزارش پروژه را می‌توان منتشر کرد، یا سطح دسترسی را بازبینی کنید.",
				"settle which part of the project's reporting can be published, or review its confidentiality"))}
	}
	return nil
}

// --- specific-scope --------------------------------------------------------

func checkSpecificScope(in Input) []domain.Violation {
	p := in.Project
	if p == nil {
		return nil
	}
	var out []domain.Violation
	if p.Scope.IsZero() {
		out = append(out, violation(RuleSpecificScope, domain.Blocking, "scope",
			domain.T("دامنه پروژه نوشته نشده است؛ روشن نیست پروژه دقیقاً چه چیزی را اجرا می‌کند.",
				"the project has no scope statement; it is not clear what exactly it implements"),
			domain.T("دامنه پروژه را (دست‌کم به یکی از دو زبان) بنویسید: کدام سامانه، برای چه کسانی، تا کجا.",
				"write the project's scope (in at least one language): which system, for whom, how far")))
	}
	if !slices.ContainsFunc(p.Deliverables, domain.Deliverable.Measurable) {
		out = append(out, violation(RuleSpecificScope, domain.Blocking, "deliverables",
			domain.T("پروژه هیچ خروجی سنجش‌پذیری ندارد؛ بدون شاخص و مقدار هدف نمی‌توان اجرای آن را پیگیری کرد.",
				"the project has no measurable deliverable; without an indicator and a target its implementation cannot be followed up"),
			domain.T("دست‌کم یک خروجی با شاخص سنجش و مقدار هدف بیفزایید.",
				"add at least one deliverable with an indicator and a target")))
	}
	if v, ok := umbrellaViolation(p.Title); ok {
		out = append(out, v)
	}
	return out
}

// --- duplicate -------------------------------------------------------------

func checkDuplicate(in Input) []domain.Violation {
	if !in.Member {
		return nil
	}
	prog := programTitle(in.Program)
	return []domain.Violation{violation(RuleDuplicate, domain.Blocking, "",
		domain.T("پروژه هم‌اکنون عضو فعال فهرست "+quoteFA(prog.In("fa"))+" است.",
			"the project is already an active member of the list "+quoteEN(prog.In("en"))),
		domain.T("نیازی به تعیین دوباره نیست؛ برای اصلاح عضویت، رویداد نادرست را باطل کنید.",
			"there is nothing to designate; to correct the membership, void the wrong event"))}
}

func programTitle(p *domain.Program) domain.Text {
	if p == nil {
		return domain.Text{}
	}
	if p.Title.IsZero() {
		return domain.T(p.Slug, p.Slug)
	}
	return p.Title
}

// --- program-open ----------------------------------------------------------

func checkProgramOpen(in Input) []domain.Violation {
	if in.Program == nil || in.Program.Status != domain.ProgramClosed {
		return nil
	}
	prog := programTitle(in.Program)
	return []domain.Violation{violation(RuleProgramOpen, domain.Blocking, "",
		domain.T("فهرست "+quoteFA(prog.In("fa"))+" بسته شده است و پروژه‌ای به آن افزوده نمی‌شود.",
			"the list "+quoteEN(prog.In("en"))+" is closed; no project can be designated into it"),
		domain.T("پروژه را در فهرست دولت کنونی تعیین کنید.",
			"designate the project into the current government's list"))}
}

// --- project-active --------------------------------------------------------

func checkProjectActive(in Input) []domain.Violation {
	p := in.Project
	if p == nil {
		return nil
	}
	switch p.Status {
	case domain.Implemented:
		return []domain.Violation{violation(RuleProjectActive, domain.Blocking, "status",
			domain.T("پروژه اجرا شده است؛ پیگیری تا اجرای کامل است و برای پروژه اجراشده چیزی برای پیگیری نمانده است.",
				"the project is implemented; follow-up runs until implementation, so there is nothing left to follow"),
			domain.T("اگر گسترش آن لازم است، پروژه‌ای تازه با دامنه گسترش تعریف کنید و این پروژه را پیشینه آن بنویسید.",
				"if it must be expanded, define a new project for the expansion and name this one as its predecessor"))}
	case domain.Withdrawn:
		return []domain.Violation{violation(RuleProjectActive, domain.Blocking, "status",
			domain.T("پروژه کنار گذاشته شده است و تعیین نمی‌شود.", "the project is withdrawn and cannot be designated"),
			domain.T("اگر پروژه دوباره در دستور کار است، نخست وضعیت آن را تغییر دهید.",
				"if the project is back on the agenda, change its status first"))}
	}
	return nil
}

// --- superseded-capability -------------------------------------------------

func checkSupersededCapability(in Input) []domain.Violation {
	p := in.Project
	if p == nil || p.Kind != domain.KindService || len(p.Capabilities) == 0 {
		return nil
	}
	mine := make(map[string]bool, len(p.Capabilities))
	for _, c := range p.Capabilities {
		mine[c] = true
	}
	// Judge the infrastructure in slug order, so the result does not depend on
	// the order the caller gathered it in.
	infra := slices.Clone(in.Infrastructure)
	infra = slices.DeleteFunc(infra, func(q *domain.Project) bool {
		return q == nil || q.Slug == p.Slug || q.Kind != domain.KindInfrastructure ||
			(q.Status != domain.Implemented && q.Status != domain.InProgress)
	})
	slices.SortStableFunc(infra, func(a, b *domain.Project) int { return cmp.Compare(a.Slug, b.Slug) })

	var out []domain.Violation
	for _, q := range infra {
		var shared []string
		seen := map[string]bool{}
		for _, c := range q.Capabilities {
			if mine[c] && !seen[c] {
				seen[c] = true
				shared = append(shared, c)
			}
		}
		if len(shared) == 0 {
			continue
		}
		caps := strings.Join(shared, ", ")
		capsFA := strings.Join(shared, "، ")
		out = append(out, violation(RuleSupersededCapability, domain.Warning, "capabilities",
			domain.T("قابلیت «"+capsFA+"» این پروژه را پروژه زیرساختی "+quoteFA(q.Title.In("fa"))+" ("+q.Title.In("en")+") هم‌اکنون فراهم می‌کند؛ ممکن است این پروژه دیگر لازم نباشد.",
				"the infrastructure project "+quoteEN(q.Title.In("en"))+" ("+q.Title.In("fa")+") already provides this project's capability "+quoteEN(caps)+"; the project may no longer be needed"),
			domain.T("روشن کنید پروژه چه چیزی بیش از "+quoteFA(q.Title.In("fa"))+" فراهم می‌کند و دامنه را به همان محدود کنید، یا آن را بر این زیرساخت بنا کنید (depends_on).",
				"state what the project adds beyond "+quoteEN(q.Title.In("en"))+" and narrow its scope to that, or build it on that infrastructure (depends_on)")))
	}
	return out
}
