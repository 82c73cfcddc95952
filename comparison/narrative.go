package comparison

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pishran/pishran/domain"
)

// maxNames is how many names a sentence of the narrative lists before it
// says "and N more"; the lists themselves are complete.
const maxNames = 10

// --- numbers and words -----------------------------------------------------

// faNum writes n in Persian digits.
func faNum(n int) string {
	s := []rune(strconv.Itoa(n))
	for i, r := range s {
		if r >= '0' && r <= '9' {
			s[i] = '۰' + (r - '0')
		}
	}
	return string(s)
}

func enNum(n int) string { return strconv.Itoa(n) }

// enCount writes "1 project", "3 projects".
func enCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return enNum(n) + " " + many
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func wasWere(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

func hasHave(n int) string {
	if n == 1 {
		return "has"
	}
	return "have"
}

// ordinalEN writes 12 as "12th", 21 as "21st".
func ordinalEN(n int) string {
	suf := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suf = "st"
		case 2:
			suf = "nd"
		case 3:
			suf = "rd"
		}
	}
	return enNum(n) + suf
}

var (
	faOnes     = []string{"", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه"}
	faTeens    = []string{"ده", "یازده", "دوازده", "سیزده", "چهارده", "پانزده", "شانزده", "هفده", "هجده", "نوزده"}
	faTens     = []string{"", "", "بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود"}
	faHundreds = []string{"", "صد", "دویست", "سیصد", "چهارصد", "پانصد", "ششصد", "هفتصد", "هشتصد", "نهصد"}
)

// ordinalFA writes 12 as "دوازدهم", 13 as "سیزدهم", 23 as "بیست و سوم".
func ordinalFA(n int) string {
	if n < 1 || n > 999 {
		return faNum(n) + "ام"
	}
	var parts []string
	if h := n / 100; h > 0 {
		parts = append(parts, faHundreds[h])
	}
	switch r := n % 100; {
	case r >= 10 && r < 20:
		parts = append(parts, faTeens[r-10])
	default:
		if r/10 > 0 {
			parts = append(parts, faTens[r/10])
		}
		if r%10 > 0 {
			parts = append(parts, faOnes[r%10])
		}
	}
	last := parts[len(parts)-1]
	switch last {
	case "سه":
		last = "سوم"
	case "سی":
		last = "سی‌ام"
	default:
		last += "م"
	}
	parts[len(parts)-1] = last
	return strings.Join(parts, " و ")
}

func capFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func qFA(s string) string { return "«" + s + "»" }
func qEN(s string) string { return "\u201c" + s + "\u201d" }

// namesEN joins quoted names: "“A”, “B” and “C”", capped at maxNames.
func namesEN(names []string) string {
	if len(names) > maxNames {
		return strings.Join(names[:maxNames], ", ") + " and " + enNum(len(names)-maxNames) + " more"
	}
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// namesFA joins quoted names: "«الف»، «ب» و «ج»", capped at maxNames.
func namesFA(names []string) string {
	if len(names) > maxNames {
		return strings.Join(names[:maxNames], "، ") + " و " + faNum(len(names)-maxNames) + " پروژه دیگر"
	}
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], "، ") + " و " + names[len(names)-1]
}

// --- labels ----------------------------------------------------------------

// label names a program in running text: "the 12th government's list",
// "فهرست دولت دوازدهم"; noun is "list"/"program" and nounFA its Persian.
// fallback names it when the program says nothing about itself.
type label struct {
	fa, en       string // "فهرست دولت دوازدهم", "the 12th government's list"
	govFA, govEN string // "دولت دوازدهم", "the 12th government"
	titled       bool   // the label already carries the title
}

func labelOf(p *domain.Program, nounEN, nounFA string, fallback domain.Text) label {
	switch {
	case p != nil && p.Term > 0:
		return label{
			fa: nounFA + " دولت " + ordinalFA(p.Term), en: "the " + ordinalEN(p.Term) + " government's " + nounEN,
			govFA: "دولت " + ordinalFA(p.Term), govEN: "the " + ordinalEN(p.Term) + " government",
		}
	case p != nil && !p.Title.IsZero():
		fa, en := nounFA+" "+qFA(p.Title.In("fa")), "the "+nounEN+" "+qEN(p.Title.In("en"))
		return label{fa: fa, en: en, govFA: fa, govEN: en, titled: true}
	case p != nil && p.Slug != "":
		fa, en := nounFA+" "+p.Slug, "the "+nounEN+" "+p.Slug
		return label{fa: fa, en: en, govFA: fa, govEN: en, titled: true}
	}
	return label{fa: fallback.FA, en: fallback.EN, govFA: fallback.FA, govEN: fallback.EN, titled: true}
}

var (
	fromFallback = domain.T("فهرست پیشین", "the earlier list")
	toFallback   = domain.T("فهرست پسین", "the later list")
)

var bodyText = map[domain.Body]domain.Text{
	domain.BodySteeringCommittee: domain.T("کمیته راهبری", "steering committee"),
	domain.BodyCouncil:           domain.T("شورای اجرایی فناوری اطلاعات", "IT Executive Council"),
	domain.BodyGovernmentBoard:   domain.T("هیئت دولت", "government board"),
}

// --- completeness ----------------------------------------------------------

// sideNote says how much of one program the records name.
func sideNote(l label, named int, declared *int) domain.Text {
	switch {
	case declared == nil:
		return domain.T(
			l.fa+" اندازه‌ای اعلام نکرده است و نام "+faNum(named)+" پروژه از آن در سوابق آمده است.",
			capFirst(l.en)+" declares no size; "+enCount(named, "project", "projects")+" "+isAre(named)+" named in the records.")
	case named < *declared:
		d := *declared
		return domain.T(
			l.fa+" "+faNum(d)+" پروژه اعلام کرده است و نام "+faNum(named)+" پروژه از آن در سوابق آمده است؛ پس "+faNum(d-named)+" عضو آن ناشناخته است.",
			capFirst(l.en)+" declares "+enCount(d, "project", "projects")+"; "+enNum(named)+" "+isAre(named)+" named in the records, so "+
				enCount(d-named, "member is", "members are")+" unknown.")
	case named == *declared:
		return domain.T(
			l.fa+" "+faNum(named)+" پروژه اعلام کرده است و نام همه آن‌ها در سوابق آمده است.",
			capFirst(l.en)+" declares "+enCount(named, "project", "projects")+", all named in the records.")
	default:
		return domain.T(
			l.fa+" "+faNum(*declared)+" پروژه اعلام کرده است، ولی نام "+faNum(named)+" پروژه از آن در سوابق آمده است.",
			capFirst(l.en)+" declares "+enCount(*declared, "project", "projects")+", yet "+enNum(named)+" "+isAre(named)+" named in the records.")
	}
}

// fateNote says how many projects of the first list have no recorded fate,
// and whether the comparison is complete.
func fateNote(r *Result, c Completeness, from label) domain.Text {
	noFate, atLeast := r.Counts.Unknown, c.FromDeclared == nil
	if c.FromDeclared != nil && *c.FromDeclared > c.FromNamed {
		noFate += *c.FromDeclared - c.FromNamed
	}
	var fa, en string
	unnamed := noFate - r.Counts.Unknown
	switch {
	case noFate > 0 && atLeast:
		fa = "سرنوشت دست‌کم " + faNum(noFate) + " پروژه از " + from.govFA + " در سوابق نیامده است."
		en = "At least " + enCount(noFate, "project", "projects") + " of " + from.govEN + " " + hasHave(noFate) + " no recorded fate."
	case r.Counts.Unknown > 0 && unnamed > 0:
		fa = "روی هم، سرنوشت " + faNum(noFate) + " پروژه از " + from.govFA + " در سوابق نیامده است: " +
			faNum(r.Counts.Unknown) + " پروژه نام‌برده و " + faNum(unnamed) + " پروژه که نامشان در سوابق نیست."
		en = "In all, " + enCount(noFate, "project", "projects") + " of " + from.govEN + " have no recorded fate: " +
			enNum(r.Counts.Unknown) + " named and " + enNum(unnamed) + " not named in the records."
	case noFate > 0:
		fa = "سرنوشت " + faNum(noFate) + " پروژه از " + from.govFA + " در سوابق نیامده است."
		en = capFirst(enCount(noFate, "project", "projects")) + " of " + from.govEN + " " + hasHave(noFate) + " no recorded fate."
	default:
		fa = "سرنوشت همه پروژه‌های نام‌برده " + from.govFA + " در سوابق آمده است."
		en = "Every named project of " + from.govEN + " has a recorded fate."
	}
	if c.Complete {
		fa += " این مقایسه کامل است."
		en += " The comparison is complete."
	} else if c.FromDeclared == nil || c.ToDeclared == nil {
		fa += " این مقایسه ناقص است، چون اندازه هر دو فهرست اعلام نشده است."
		en += " The comparison is partial, since not both lists declare their size."
	} else {
		fa += " این مقایسه ناقص است، چون همه پروژه‌های دو فهرست در سوابق نام برده نشده‌اند."
		en += " The comparison is partial, since the records do not name every project of both lists."
	}
	return domain.T(fa, en)
}

func completenessNote(r *Result, c Completeness) domain.Text {
	from := labelOf(programOf(r.From), "program", "برنامه", fromFallback)
	to := labelOf(programOf(r.To), "program", "برنامه", toFallback)
	parts := []domain.Text{
		sideNote(to, c.ToNamed, c.ToDeclared),
		sideNote(from, c.FromNamed, c.FromDeclared),
		fateNote(r, c, from),
	}
	return joinTexts(parts)
}

// programOf rebuilds the fields of a program the labels need from its
// summary.
func programOf(i ProgramInfo) *domain.Program {
	if i.ID == "" && i.Term == 0 && i.Title.IsZero() {
		return nil
	}
	return &domain.Program{Slug: i.ID, Term: i.Term, Title: i.Title}
}

func joinTexts(ts []domain.Text) domain.Text {
	var fa, en []string
	for _, t := range ts {
		if t.FA != "" {
			fa = append(fa, t.FA)
		}
		if t.EN != "" {
			en = append(en, t.EN)
		}
	}
	return domain.T(strings.Join(fa, " "), strings.Join(en, " "))
}

// --- narrative -------------------------------------------------------------

// sideSentence opens the story of one list: what it declared and how much of
// it the records name.
func sideSentence(l label, p *domain.Program, info ProgramInfo) domain.Text {
	headFA, headEN := l.fa, capFirst(l.en)
	if !l.titled && p != nil && !p.Title.IsZero() {
		headFA += " (" + qFA(p.Title.In("fa")) + ")"
		headEN += ", " + qEN(p.Title.In("en")) + ","
	}
	named, d := info.NamedCount, info.DeclaredSize
	switch {
	case d == nil:
		return domain.T(
			headFA+" اندازه‌ای اعلام نکرد و نام "+faNum(named)+" پروژه از آن در سوابق آمده است.",
			headEN+" declared no size; "+enCount(named, "project", "projects")+" "+isAre(named)+" named in the records.")
	case named < *d:
		return domain.T(
			headFA+" "+faNum(*d)+" پروژه اعلام کرد که نام "+faNum(named)+" پروژه از آن‌ها در سوابق آمده است.",
			headEN+" declared "+enCount(*d, "project", "projects")+"; "+enNum(named)+" of them "+isAre(named)+" named in the records.")
	case named == *d:
		return domain.T(
			headFA+" "+faNum(named)+" پروژه اعلام کرد و نام همه آن‌ها در سوابق آمده است.",
			headEN+" declared "+enCount(named, "project", "projects")+", all of them named in the records.")
	default:
		return domain.T(
			headFA+" "+faNum(*d)+" پروژه اعلام کرد، ولی نام "+faNum(named)+" پروژه از آن در سوابق آمده است.",
			headEN+" declared "+enCount(*d, "project", "projects")+", yet "+enNum(named)+" "+isAre(named)+" named in the records.")
	}
}

// stagesSentence tells how a list changed size on its way to adoption:
// "15 → 18 → 23".
func stagesSentence(p *domain.Program) domain.Text {
	if p == nil || len(p.Stages) < 2 {
		return domain.Text{}
	}
	var sizesFA, sizesEN, bodiesFA, bodiesEN []string
	first, last, known := 0, 0, 0
	for _, s := range p.Stages {
		n, basis := s.Size()
		if basis == "unknown" {
			sizesFA, sizesEN = append(sizesFA, "؟"), append(sizesEN, "?")
		} else {
			if known == 0 {
				first = n
			}
			last = n
			known++
			sizesFA, sizesEN = append(sizesFA, faNum(n)), append(sizesEN, enNum(n))
		}
		b, ok := bodyText[s.Body]
		if !ok {
			b = domain.T(string(s.Body), string(s.Body))
		}
		bodiesFA, bodiesEN = append(bodiesFA, b.FA), append(bodiesEN, b.EN)
	}
	if known == 0 {
		return domain.Text{}
	}
	verbFA, verbEN := "تغییر کرد", "changed size"
	switch {
	case known > 1 && last > first:
		verbFA, verbEN = "بزرگ‌تر شد", "grew"
	case known > 1 && last < first:
		verbFA, verbEN = "کوچک‌تر شد", "shrank"
	}
	return domain.T(
		"این فهرست در مسیر تصویب "+verbFA+": "+strings.Join(sizesFA, " ← ")+" ("+strings.Join(bodiesFA, " ← ")+").",
		"On its way to adoption the list "+verbEN+": "+strings.Join(sizesEN, " → ")+" ("+strings.Join(bodiesEN, " → ")+").")
}

var lineageVerb = map[domain.LineageKind]func(a, b string) domain.Text{
	domain.LineageEvolved: func(a, b string) domain.Text {
		return domain.T(a+" به "+b+" تکامل یافت", a+" evolved into "+b)
	},
	domain.LineageRenamed: func(a, b string) domain.Text {
		return domain.T("نام "+a+" به "+b+" تغییر کرد", a+" was renamed "+b)
	},
	domain.LineageReplaced: func(a, b string) domain.Text {
		return domain.T(a+" جای خود را به "+b+" داد", a+" was replaced by "+b)
	},
	domain.LineageMerged: func(a, b string) domain.Text {
		return domain.T(a+" در "+b+" ادغام شد", a+" was merged into "+b)
	},
}

func evolvedSentence(ev []Evolved) domain.Text {
	if len(ev) == 0 {
		return domain.Text{}
	}
	projects := 0
	var fa, en []string
	for i, e := range ev {
		if i == 0 || ev[i-1].From != e.From {
			projects++
		}
		if i >= maxNames {
			continue
		}
		a, b := e.FromTitle, e.ToTitle
		aFA, aEN := qFA(a.In("fa")), qEN(a.In("en"))
		if e.Reason != "" && e.Reason != domain.LeaveEvolved && e.Reason != domain.LeaveMerged {
			rt := e.Reason.Text()
			aFA += " (" + rt.FA + ")"
			aEN += " (" + rt.EN + ")"
		}
		verb, ok := lineageVerb[e.Kind]
		if !ok {
			verb = lineageVerb[domain.LineageEvolved]
		}
		t := verb(aFA, qFA(b.In("fa")))
		t.EN = verb(aEN, qEN(b.In("en"))).EN
		fa, en = append(fa, t.FA), append(en, t.EN)
	}
	if len(ev) > maxNames {
		fa = append(fa, "و "+faNum(len(ev)-maxNames)+" پیوند دیگر")
		en = append(en, "and "+enNum(len(ev)-maxNames)+" more")
	}
	return domain.T(
		faNum(projects)+" پروژه به پروژه‌ای تازه تبدیل شد: "+strings.Join(fa, "؛ ")+".",
		capFirst(enCount(projects, "project", "projects"))+" turned into new ones: "+strings.Join(en, "; ")+".")
}

func removedSentence(rm []Removed) domain.Text {
	if len(rm) == 0 {
		return domain.Text{}
	}
	// Group by reason, in the order of domain.LeaveReasons; no reason last.
	order := make(map[domain.LeaveReason]int, len(domain.LeaveReasons))
	for i, r := range domain.LeaveReasons {
		order[r] = i
	}
	groupsFA := make([][]string, len(domain.LeaveReasons)+1)
	groupsEN := make([][]string, len(domain.LeaveReasons)+1)
	for _, r := range rm {
		g, ok := order[r.Reason]
		if !ok {
			g = len(domain.LeaveReasons)
		}
		if len(groupsFA[g]) > maxNames { // enough to say "and N more"
			groupsFA[g], groupsEN[g] = append(groupsFA[g], ""), append(groupsEN[g], "")
			continue
		}
		nFA, nEN := qFA(r.Title.In("fa")), qEN(r.Title.In("en"))
		if r.Successor != "" {
			sFA, sEN := "پروژه‌ای دیگر", "another project"
			if r.SuccessorTitle != nil {
				sFA, sEN = qFA(r.SuccessorTitle.In("fa")), qEN(r.SuccessorTitle.In("en"))
			}
			nFA += " ← " + sFA
			nEN += " → " + sEN
		}
		groupsFA[g], groupsEN[g] = append(groupsFA[g], nFA), append(groupsEN[g], nEN)
	}
	var fa, en []string
	for g := range groupsFA {
		if len(groupsFA[g]) == 0 {
			continue
		}
		rt := domain.T("دلیلی ثبت نشده", "no reason recorded")
		if g < len(domain.LeaveReasons) {
			rt = domain.LeaveReasons[g].Text()
		}
		fa = append(fa, namesFA(groupsFA[g])+" ("+rt.FA+")")
		en = append(en, namesEN(groupsEN[g])+" ("+rt.EN+")")
	}
	n := len(rm)
	return domain.T(
		faNum(n)+" پروژه از فهرست حذف شد: "+strings.Join(fa, "؛ ")+".",
		capFirst(enCount(n, "project", "projects"))+" "+wasWere(n)+" removed: "+strings.Join(en, "; ")+".")
}

// titles quotes the titles of items, up to maxNames+1 of them (enough for
// "and N more", which takes the full count from n).
func titles(n int, title func(i int) domain.Text) (fa, en []string) {
	for i := 0; i < n; i++ {
		if i > maxNames {
			fa, en = append(fa, ""), append(en, "")
			continue
		}
		t := title(i)
		fa, en = append(fa, qFA(t.In("fa"))), append(en, qEN(t.In("en")))
	}
	return fa, en
}

func narrative(r *Result, fp, tp *domain.Program) domain.Text {
	fromL := labelOf(fp, "list", "فهرست", fromFallback)
	toL := labelOf(tp, "list", "فهرست", toFallback)
	var parts []domain.Text
	add := func(t domain.Text) { parts = append(parts, t) }

	add(sideSentence(fromL, fp, r.From))
	add(stagesSentence(fp))
	add(sideSentence(toL, tp, r.To))
	add(stagesSentence(tp))
	if f, t := r.From.DeclaredSize, r.To.DeclaredSize; f != nil && t != nil {
		add(domain.T(
			"بدین‌سان "+faNum(*t)+" پروژه جای "+faNum(*f)+" پروژه را گرفت.",
			"So "+enCount(*t, "project", "projects")+" took the place of "+enNum(*f)+"."))
	}

	if n := len(r.Kept); n > 0 {
		fa, en := titles(n, func(i int) domain.Text { return r.Kept[i].Title })
		add(domain.T(
			faNum(n)+" پروژه در هر دو فهرست آمده است: "+namesFA(fa)+".",
			capFirst(enCount(n, "project", "projects"))+" "+isAre(n)+" on both lists: "+namesEN(en)+"."))
	} else {
		add(domain.T("در سوابق، هیچ پروژه‌ای در هر دو فهرست نیامده است.", "No named project is on both lists."))
	}
	add(evolvedSentence(r.Evolved))
	add(removedSentence(r.Removed))
	if n := len(r.Added); n > 0 {
		fa, en := titles(n, func(i int) domain.Text { return r.Added[i].Title })
		add(domain.T(
			faNum(n)+" پروژه تازه به فهرست افزوده شد: "+namesFA(fa)+".",
			capFirst(enCount(n, "new project", "new projects"))+" joined the list: "+namesEN(en)+"."))
	}
	if n := r.Counts.HiddenConfidential; n > 0 {
		add(domain.T(
			faNum(n)+" پروژه محرمانه فهرست نشده است.",
			enCount(n, "confidential project", "confidential projects")+" not listed."))
	}
	if n := len(r.Unknown); n > 0 {
		fa, en := titles(n, func(i int) domain.Text { return r.Unknown[i].Title })
		add(domain.T(
			"سرنوشت "+faNum(n)+" پروژه نام‌برده از "+fromL.fa+" در سوابق نیامده است: "+namesFA(fa)+".",
			capFirst(enCount(n, "named project", "named projects"))+" of "+fromL.en+" "+hasHave(n)+" no recorded fate: "+namesEN(en)+"."))
	}
	add(fateNote(r, r.Completeness, labelOf(fp, "list", "فهرست", fromFallback)))
	return joinTexts(parts)
}
