package comparison

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
)

func intp(n int) *int { return &n }

type proj struct {
	slug, fa, en string
	conf         domain.Confidentiality
	kind         domain.ProjectKind
	preds        []domain.Predecessor
}

func project(p proj) *domain.Project {
	if p.conf == "" {
		p.conf = domain.Public
	}
	if p.kind == "" {
		p.kind = domain.KindService
	}
	return &domain.Project{Slug: p.slug, Title: domain.T(p.fa, p.en), Confidentiality: p.conf, Kind: p.kind, Predecessors: p.preds}
}

func active(program string, p *domain.Project, main bool) Member {
	return Member{Project: p, Membership: domain.Membership{Program: program, Project: p.Slug, Main: main, Active: true}}
}

func left(program string, p *domain.Project, main bool, reason domain.LeaveReason, successor string, note domain.Text) Member {
	return Member{Project: p, Membership: domain.Membership{Program: program, Project: p.Slug, Main: main,
		Reason: reason, Successor: successor, Note: note}}
}

const (
	from12 = "egov-priority-12"
	to13   = "smart-driving-13"
)

// The confidential project of the seed and everything that names it.
var secret = proj{slug: "anti-smuggling", fa: "سامانه مبارزه با قاچاق کالا و ارز", en: "Anti-smuggling system", conf: domain.Confidential}

// seedSides mirrors the seed article: the 12th government's 23 priority
// projects (10 named here) and the 13th government's 20 driving projects (3
// named).
func seedSides() (Side, Side) {
	from := Side{Program: &domain.Program{
		Slug: from12, Term: 12, Title: domain.T("پروژه‌های اولویت‌دار دولت الکترونیک", "E-government priority projects"),
		Kind: domain.ProgramPriority, Visibility: domain.VisibilityPublic, DeclaredSize: intp(23), Status: domain.ProgramClosed,
		Stages: []domain.Stage{
			{Body: domain.BodySteeringCommittee, Count: intp(15)},
			{Body: domain.BodyCouncil, Count: intp(18)},
			{Body: domain.BodyGovernmentBoard, Count: intp(23)},
		},
	}}
	from.Members = []Member{
		active(from12, project(proj{slug: "e-tax", fa: "مالیات الکترونیک", en: "Electronic tax"}), true),
		active(from12, project(proj{slug: "e-health", fa: "سلامت الکترونیک", en: "Electronic health"}), true),
		left(from12, project(proj{slug: "setad", fa: "سامانه تدارکات الکترونیکی دولت (ستاد)", en: "Government e-procurement system (Setad)"}), true,
			domain.LeaveCompleted, "", domain.T("تکمیل شد و باید به‌تدریج گسترش یابد", "completed; to be expanded gradually")),
		left(from12, project(proj{slug: "smart-identity", fa: "هویت هوشمند", en: "Smart identity", kind: domain.KindInfrastructure}), false,
			domain.LeaveBecameInfrastructure, "", domain.Text{}),
		left(from12, project(proj{slug: "document-validation", fa: "اعتبارسنجی اسناد", en: "Document validation", kind: domain.KindInfrastructure}), false,
			domain.LeaveBecameInfrastructure, "", domain.Text{}),
		left(from12, project(proj{slug: "information-exchange-inquiries", fa: "تبادل اطلاعات و استعلام‌ها", en: "Information exchange and inquiries"}), false,
			domain.LeaveSuperseded, "nix", domain.T(
				"استعلام‌ها، از جمله استعلام‌های سامانه مبارزه با قاچاق کالا و ارز، اکنون از مرکز ملی تبادل اطلاعات انجام می‌شود",
				"inquiries, including those of the Anti-smuggling system (anti-smuggling), now go through the National Information Exchange Center")),
		left(from12, project(proj{slug: "e-banking", fa: "بانکداری الکترونیک", en: "Electronic banking"}), false,
			domain.LeaveTooGeneral, "neobank", domain.T("کدام بخش؟ سامانه یکپارچه بانکی یا سامانه‌های پرداخت", "which part? integrated banking or payment systems")),
		left(from12, project(secret), false, domain.LeaveConfidential, "", domain.T("گزارش‌پذیر نیست", "cannot be reported")),
		active(from12, project(proj{slug: "e-customs", fa: "گمرک الکترونیک", en: "Electronic customs"}), false),
		active(from12, project(proj{slug: "e-notary", fa: "دفاتر اسناد رسمی الکترونیک", en: "Electronic notary offices"}), false),
	}
	from.Related = []*domain.Project{{Slug: "nix", Title: domain.T("مرکز ملی تبادل اطلاعات", "National Information Exchange Center"),
		Kind: domain.KindInfrastructure, Confidentiality: domain.Public}}
	to := Side{Program: &domain.Program{
		Slug: to13, Term: 13, Title: domain.T("پروژه‌های پیشران هوشمندسازی دولت", "Smart government driving projects"),
		Kind: domain.ProgramDriving, Visibility: domain.VisibilityPublic, DeclaredSize: intp(20), Status: domain.ProgramAdopted,
	}}
	to.Members = []Member{
		active(to13, project(proj{slug: "smart-health", fa: "سلامت هوشمند", en: "Smart health",
			preds: []domain.Predecessor{{Project: "e-health", Kind: domain.LineageEvolved}}}), true),
		active(to13, project(proj{slug: "neobank", fa: "نئوبانک و بانکداری هوشمند", en: "Neobank and smart banking",
			preds: []domain.Predecessor{{Project: "e-banking", Kind: domain.LineageReplaced}}}), false),
		active(to13, project(proj{slug: "unique-address", fa: "سامانه نشانی یکتای مکان‌محور", en: "Unique location-based address system"}), false),
	}
	return from, to
}

func slugs[T any](xs []T, slug func(T) string) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, slug(x))
	}
	return out
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestCompareSeed(t *testing.T) {
	from, to := seedSides()
	for _, show := range []bool{false, true} {
		t.Run(fmt.Sprintf("showConfidential=%v", show), func(t *testing.T) {
			r := Compare(from, to, show)

			eq(t, "from", r.From, ProgramInfo{ID: from12, Term: 12, Title: from.Program.Title, DeclaredSize: intp(23), NamedCount: 10, ConfidentialCount: 1})
			eq(t, "to", r.To, ProgramInfo{ID: to13, Term: 13, Title: to.Program.Title, DeclaredSize: intp(20), NamedCount: 3})

			eq(t, "kept", r.Kept, []Kept{})
			eq(t, "added", slugs(r.Added, func(i Item) string { return i.Project }), []string{"unique-address"})
			wantRemoved := []string{"setad", "smart-identity", "document-validation", "information-exchange-inquiries"}
			if show {
				wantRemoved = append(wantRemoved, "anti-smuggling")
			}
			eq(t, "removed", slugs(r.Removed, func(i Removed) string { return i.Project }), wantRemoved)
			eq(t, "unknown", slugs(r.Unknown, func(i Item) string { return i.Project }), []string{"e-tax", "e-customs", "e-notary"})
			eq(t, "evolved", r.Evolved, []Evolved{
				{From: "e-health", FromTitle: domain.T("سلامت الکترونیک", "Electronic health"), To: "smart-health", ToTitle: domain.T("سلامت هوشمند", "Smart health"), Kind: domain.LineageEvolved},
				{From: "e-banking", FromTitle: domain.T("بانکداری الکترونیک", "Electronic banking"), To: "neobank", ToTitle: domain.T("نئوبانک و بانکداری هوشمند", "Neobank and smart banking"),
					Kind: domain.LineageReplaced, Reason: domain.LeaveTooGeneral},
			})

			byslug := map[string]Removed{}
			for _, rm := range r.Removed {
				byslug[rm.Project] = rm
			}
			setad := byslug["setad"]
			eq(t, "setad reason", setad.Reason, domain.LeaveCompleted)
			eq(t, "setad reason_text", setad.ReasonText, domain.LeaveCompleted.Text())
			eq(t, "setad note", setad.Note.EN, "completed; to be expanded gradually")
			eq(t, "smart-identity reason", byslug["smart-identity"].Reason, domain.LeaveBecameInfrastructure)
			inq := byslug["information-exchange-inquiries"]
			eq(t, "inquiries reason", inq.Reason, domain.LeaveSuperseded)
			eq(t, "inquiries successor", inq.Successor, "nix")
			if inq.SuccessorTitle == nil || inq.SuccessorTitle.EN != "National Information Exchange Center" {
				t.Errorf("nix is on neither list but is a related project, so its title must be given; got %v", inq.SuccessorTitle)
			}
			if show {
				eq(t, "anti-smuggling reason", byslug["anti-smuggling"].Reason, domain.LeaveConfidential)
			}

			hidden := 1
			if show {
				hidden = 0
			}
			eq(t, "counts", r.Counts, Counts{Kept: 0, Added: 1, Removed: len(wantRemoved), Evolved: 2, Unknown: 3, HiddenConfidential: hidden})

			c := r.Completeness
			eq(t, "completeness numbers", []any{c.FromNamed, *c.FromDeclared, c.ToNamed, *c.ToDeclared, c.Complete}, []any{10, 23, 3, 20, false})
			for _, s := range []string{"declares 20 projects; 3 are named in the records, so 17 members are unknown",
				"declares 23 projects; 10 are named", "16 projects of the 12th government have no recorded fate: 3 named and 13 not named", "partial"} {
				if !strings.Contains(c.Note.EN, s) {
					t.Errorf("completeness note (en) lacks %q:\n%s", s, c.Note.EN)
				}
			}
			for _, s := range []string{"۲۰ پروژه", "نام ۳ پروژه", "۱۷ عضو", "۲۳ پروژه", "۱۶ پروژه", "دولت سیزدهم", "دولت دوازدهم", "ناقص"} {
				if !strings.Contains(c.Note.FA, s) {
					t.Errorf("completeness note (fa) lacks %q:\n%s", s, c.Note.FA)
				}
			}

			n := r.Narrative
			wantEN := []string{"12th government", "13th government", "declared 23 projects; 10 of them are named",
				"declared 20 projects; 3 of them are named", "15 → 18 → 23", "grew",
				"4 projects were removed", "(completed)", "(became infrastructure)", "(superseded by an existing capability)",
				"“Smart identity” and “Document validation”", "“Electronic health” evolved into “Smart health”",
				"“Electronic banking” (too general to implement) was replaced by “Neobank and smart banking”",
				"1 new project joined the list: “Unique location-based address system”",
				"3 named projects of the 12th government's list have no recorded fate",
				"16 projects of the 12th government have no recorded fate", "So 20 projects took the place of 23."}
			wantFA := []string{"دولت دوازدهم", "دولت سیزدهم", "۲۳ پروژه اعلام کرد", "نام ۱۰ پروژه", "۲۰ پروژه اعلام کرد", "نام ۳ پروژه",
				"۱۵ ← ۱۸ ← ۲۳", "(تکمیل شد)", "(به زیرساخت تبدیل شد)", "«هویت هوشمند» و «اعتبارسنجی اسناد»",
				"«سلامت الکترونیک» به «سلامت هوشمند» تکامل یافت", "جای خود را به «نئوبانک و بانکداری هوشمند» داد",
				"۱ پروژه تازه", "سرنوشت ۳ پروژه", "۱۶ پروژه", "۲۰ پروژه جای ۲۳ پروژه را گرفت"}
			if show {
				wantEN = append(wantEN[:6:6], append([]string{"5 projects were removed", "(confidential: cannot be reported to the public)"}, wantEN[7:]...)...)
				wantFA = append(wantFA, "(محرمانه است و گزارش‌پذیر به مردم نیست)", "۵ پروژه از فهرست حذف شد")
			} else {
				wantEN = append(wantEN, "1 confidential project not listed")
				wantFA = append(wantFA, "۱ پروژه محرمانه فهرست نشده", "۴ پروژه از فهرست حذف شد")
			}
			for _, s := range wantEN {
				if !strings.Contains(n.EN, s) {
					t.Errorf("narrative (en) lacks %q:\n%s", s, n.EN)
				}
			}
			for _, s := range wantFA {
				if !strings.Contains(n.FA, s) {
					t.Errorf("narrative (fa) lacks %q:\n%s", s, n.FA)
				}
			}
			if show && strings.Contains(n.EN, "not listed") {
				t.Errorf("nothing is hidden, yet the narrative says so:\n%s", n.EN)
			}
			if regexp.MustCompile(`[0-9]`).MatchString(n.FA) || regexp.MustCompile(`[0-9]`).MatchString(c.Note.FA) {
				t.Errorf("Persian text has Latin digits:\n%s\n%s", n.FA, c.Note.FA)
			}
			if regexp.MustCompile(`[۰-۹]`).MatchString(n.EN) {
				t.Errorf("English text has Persian digits:\n%s", n.EN)
			}
		})
	}
}

// leaks reports which of the confidential project's names appear in the
// result's JSON.
func leaks(t *testing.T, r *Result, p proj) []string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, s := range []string{p.slug, p.fa, p.en} {
		if strings.Contains(string(b), s) {
			found = append(found, s)
		}
	}
	return found
}

func TestConfidentialNeverLeaks(t *testing.T) {
	from, to := seedSides()
	if got := leaks(t, Compare(from, to, false), secret); len(got) != 0 {
		t.Errorf("confidential project leaks with showConfidential=false: %q", got)
	}
	if got := leaks(t, Compare(from, to, true), secret); len(got) != 3 {
		t.Errorf("confidential project should appear with showConfidential=true; found %q", got)
	}
	r := Compare(from, to, false)
	for _, rm := range r.Removed {
		if rm.Project == "information-exchange-inquiries" &&
			(!strings.Contains(rm.Note.EN, "[confidential]") || !strings.Contains(rm.Note.FA, "[محرمانه]")) {
			t.Errorf("note naming the confidential project is not redacted: %+v", rm.Note)
		}
	}
}

// A confidential project on either end of a lineage link must not leak
// through its public partner.
func TestConfidentialLineage(t *testing.T) {
	pubOld := project(proj{slug: "border-control", fa: "کنترل مرز", en: "Border control"})
	secOld := project(proj{slug: "covert-old", fa: "پروژه پنهان قدیم", en: "Covert old", conf: domain.Confidential})
	secNew := project(proj{slug: "covert-new", fa: "پروژه پنهان نو", en: "Covert new", conf: domain.Confidential,
		preds: []domain.Predecessor{{Project: "border-control", Kind: domain.LineageEvolved}}})
	pubNew := project(proj{slug: "public-new", fa: "پروژه عمومی نو", en: "Public new",
		preds: []domain.Predecessor{{Project: "covert-old", Kind: domain.LineageReplaced}}})
	from := Side{Program: &domain.Program{Slug: "a", Term: 12, DeclaredSize: intp(2)}, Members: []Member{
		left("a", pubOld, false, domain.LeaveEvolved, "covert-new", domain.Text{}),
		left("a", secOld, false, domain.LeaveSuperseded, "public-new", domain.Text{}),
	}}
	to := Side{Program: &domain.Program{Slug: "b", Term: 13, DeclaredSize: intp(2)}, Members: []Member{
		active("b", secNew, false), active("b", pubNew, false),
	}}
	r := Compare(from, to, false)
	for _, p := range []proj{{slug: "covert-old", fa: "پروژه پنهان قدیم", en: "Covert old"}, {slug: "covert-new", fa: "پروژه پنهان نو", en: "Covert new"}} {
		if got := leaks(t, r, p); len(got) != 0 {
			t.Errorf("leaked %q", got)
		}
	}
	eq(t, "evolved", r.Evolved, []Evolved{})
	eq(t, "removed", slugs(r.Removed, func(i Removed) string { return i.Project }), []string{"border-control"})
	eq(t, "removed successor", r.Removed[0].Successor, "")
	eq(t, "added", slugs(r.Added, func(i Item) string { return i.Project }), []string{"public-new"})
	eq(t, "hidden", r.Counts.HiddenConfidential, 2)
	if !strings.Contains(r.Narrative.EN, "2 confidential projects not listed") || !strings.Contains(r.Narrative.FA, "۲ پروژه محرمانه فهرست نشده") {
		t.Errorf("narrative does not count the hidden projects:\n%s\n%s", r.Narrative.EN, r.Narrative.FA)
	}

	r = Compare(from, to, true)
	eq(t, "evolved (shown)", len(r.Evolved), 2)
	eq(t, "removed (shown)", r.Removed, []Removed{})
	eq(t, "added (shown)", r.Added, []Item{})
}

func TestKeptAndSuccessorLinks(t *testing.T) {
	same := func() *domain.Project {
		return project(proj{slug: "e-tax", fa: "مالیات الکترونیک", en: "Electronic tax"})
	}
	old := project(proj{slug: "old-portal", fa: "درگاه قدیم", en: "Old portal"})
	next := project(proj{slug: "new-portal", fa: "درگاه نو", en: "New portal"}) // names no predecessor
	gone := project(proj{slug: "gone", fa: "رفته", en: "Gone"})
	heir := project(proj{slug: "heir", fa: "وارث", en: "Heir"})
	from := Side{Program: &domain.Program{Slug: "a", Term: 12, DeclaredSize: intp(4)}, Members: []Member{
		active("a", same(), true),
		left("a", old, false, domain.LeaveEvolved, "new-portal", domain.Text{}),
		left("a", gone, false, domain.LeaveMerged, "heir", domain.Text{}),
		active("a", heir, false),
		active("a", same(), false), // a duplicate row is ignored
	}}
	to := Side{Program: &domain.Program{Slug: "b", Term: 13, DeclaredSize: intp(2)}, Members: []Member{
		active("b", same(), false), active("b", next, true),
	}}
	r := Compare(from, to, false)
	eq(t, "kept", r.Kept, []Kept{{Project: "e-tax", Title: domain.T("مالیات الکترونیک", "Electronic tax"), MainBefore: true, MainAfter: false}})
	eq(t, "evolved", r.Evolved, []Evolved{{From: "old-portal", FromTitle: old.Title, To: "new-portal", ToTitle: next.Title,
		Kind: domain.LineageEvolved, Reason: domain.LeaveEvolved}})
	eq(t, "added", r.Added, []Item{})
	eq(t, "removed", len(r.Removed), 1)
	eq(t, "successor", r.Removed[0].Successor, "heir")
	eq(t, "successor title", r.Removed[0].SuccessorTitle, &heir.Title)
	eq(t, "unknown", slugs(r.Unknown, func(i Item) string { return i.Project }), []string{"heir"})
	c := r.Completeness
	eq(t, "complete", c.Complete, true)
	if !strings.Contains(c.Note.EN, "complete.") || !strings.Contains(c.Note.FA, "کامل است") {
		t.Errorf("note: %+v", c.Note)
	}
	if !strings.Contains(r.Narrative.EN, "1 project is on both lists: “Electronic tax”") {
		t.Errorf("narrative: %s", r.Narrative.EN)
	}
	if !strings.Contains(r.Narrative.EN, "“Gone” → “Heir” (merged into another project)") {
		t.Errorf("narrative: %s", r.Narrative.EN)
	}
}

func TestUndeclaredAndEmpty(t *testing.T) {
	r := Compare(Side{}, Side{}, false)
	if r.Kept == nil || r.Added == nil || r.Removed == nil || r.Evolved == nil || r.Unknown == nil {
		t.Fatal("lists must be empty, not nil (JSON [] rather than null)")
	}
	if r.Completeness.Complete {
		t.Error("an undeclared comparison cannot be complete")
	}
	if r.Narrative.FA == "" || r.Narrative.EN == "" {
		t.Error("empty narrative")
	}
	from, to := seedSides()
	to.Program.DeclaredSize = nil
	r = Compare(from, to, false)
	if !strings.Contains(r.Completeness.Note.EN, "declares no size") || !strings.Contains(r.Narrative.EN, "declared no size") {
		t.Errorf("undeclared size not told:\n%s\n%s", r.Completeness.Note.EN, r.Narrative.EN)
	}
}

func TestJSONShape(t *testing.T) {
	from, to := seedSides()
	b, err := json.Marshal(Compare(from, to, true))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"from", "to", "kept", "added", "removed", "evolved", "unknown", "counts", "completeness", "narrative"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing key %q", k)
		}
	}
	sub := func(k string) map[string]any { return m[k].(map[string]any) }
	for _, k := range []string{"id", "term", "title", "declared_size", "named_count", "confidential_count"} {
		if _, ok := sub("from")[k]; !ok {
			t.Errorf("from lacks %q", k)
		}
	}
	for _, k := range []string{"kept", "added", "removed", "evolved", "unknown", "hidden_confidential"} {
		if _, ok := sub("counts")[k]; !ok {
			t.Errorf("counts lacks %q", k)
		}
	}
	for _, k := range []string{"from_named", "from_declared", "to_named", "to_declared", "complete", "note"} {
		if _, ok := sub("completeness")[k]; !ok {
			t.Errorf("completeness lacks %q", k)
		}
	}
	rm := m["removed"].([]any)[3].(map[string]any)
	for _, k := range []string{"project", "title", "reason", "reason_text", "note", "successor"} {
		if _, ok := rm[k]; !ok {
			t.Errorf("removed item lacks %q: %v", k, rm)
		}
	}
	ev := m["evolved"].([]any)[1].(map[string]any)
	for _, k := range []string{"from", "from_title", "to", "to_title", "kind", "reason"} {
		if _, ok := ev[k]; !ok {
			t.Errorf("evolved item lacks %q: %v", k, ev)
		}
	}
}

func TestDeterministic(t *testing.T) {
	from, to := bigSides(500)
	a, _ := json.Marshal(Compare(from, to, false))
	for range 5 {
		b, _ := json.Marshal(Compare(from, to, false))
		if string(a) != string(b) {
			t.Fatal("Compare is not deterministic")
		}
	}
}

func TestOrdinals(t *testing.T) {
	for n, want := range map[int]string{1: "یکم", 3: "سوم", 12: "دوازدهم", 13: "سیزدهم", 14: "چهاردهم", 20: "بیستم",
		23: "بیست و سوم", 30: "سی‌ام", 101: "صد و یکم"} {
		if got := ordinalFA(n); got != want {
			t.Errorf("ordinalFA(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 112: "112th"} {
		if got := ordinalEN(n); got != want {
			t.Errorf("ordinalEN(%d) = %q, want %q", n, got, want)
		}
	}
	if got := faNum(2023); got != "۲۰۲۳" {
		t.Errorf("faNum = %q", got)
	}
}

// bigSides builds two lists of n members each: a fifth kept, a fifth evolved
// (by predecessor), a fifth removed, a fifth unknown, a fifth confidential.
func bigSides(n int) (Side, Side) {
	from := Side{Program: &domain.Program{Slug: "a", Term: 12, DeclaredSize: intp(n + 10),
		Stages: []domain.Stage{{Body: domain.BodyCouncil, Count: intp(n)}, {Body: domain.BodyGovernmentBoard, Count: intp(n + 10)}}}}
	to := Side{Program: &domain.Program{Slug: "b", Term: 13, DeclaredSize: intp(n)}}
	reasons := domain.LeaveReasons
	for i := range n {
		slug := fmt.Sprintf("p-%d", i)
		p := project(proj{slug: slug, fa: "پروژه " + slug, en: "Project " + slug})
		switch i % 5 {
		case 0:
			from.Members = append(from.Members, active("a", p, i%2 == 0))
			to.Members = append(to.Members, active("b", p, false))
		case 1:
			from.Members = append(from.Members, left("a", p, false, domain.LeaveEvolved, "", domain.Text{}))
			to.Members = append(to.Members, active("b", project(proj{slug: "n-" + slug, fa: "نو " + slug, en: "New " + slug,
				preds: []domain.Predecessor{{Project: slug, Kind: domain.LineageEvolved}}}), false))
		case 2:
			from.Members = append(from.Members, left("a", p, false, reasons[i%len(reasons)], "", domain.T("یادداشت", "note")))
			to.Members = append(to.Members, active("b", project(proj{slug: "x-" + slug, fa: "تازه " + slug, en: "Fresh " + slug}), false))
		case 3:
			from.Members = append(from.Members, active("a", p, false))
			to.Members = append(to.Members, active("b", project(proj{slug: "y-" + slug, fa: "تازه " + slug, en: "Fresh " + slug}), false))
		case 4:
			p.Confidentiality = domain.Confidential
			from.Members = append(from.Members, left("a", p, false, domain.LeaveConfidential, "", domain.Text{}))
			to.Members = append(to.Members, active("b", project(proj{slug: "z-" + slug, fa: "محرمانه " + slug, en: "Secret " + slug, conf: domain.Confidential}), false))
		}
	}
	return from, to
}

func TestBig(t *testing.T) {
	from, to := bigSides(5000)
	r := Compare(from, to, false)
	eq(t, "counts", r.Counts, Counts{Kept: 1000, Added: 2000, Removed: 1000, Evolved: 1000, Unknown: 1000, HiddenConfidential: 2000})
	if len(r.Narrative.EN) > 20000 {
		t.Errorf("narrative too long for 5000 members: %d bytes", len(r.Narrative.EN))
	}
	if !strings.Contains(r.Narrative.EN, "more") || !strings.Contains(r.Narrative.FA, "پروژه دیگر") {
		t.Errorf("long lists should be cut short in the narrative")
	}
}

func BenchmarkCompare5000(b *testing.B) {
	from, to := bigSides(5000)
	b.ReportAllocs()
	for b.Loop() {
		Compare(from, to, false)
	}
}
