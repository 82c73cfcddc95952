package domain

import (
	"strconv"
	"strings"
)

// Field length limits, in characters.
const (
	maxTitle     = 300
	maxLong      = 10000
	maxSourceRef = 2000 // a URL or a citation
)

// Validate checks an agency's own fields (not whether its parent exists).
func (a *Agency) Validate() error {
	if err := checkSlug("code", a.Code); err != nil {
		return err
	}
	if err := validText("name", a.Name, true, maxTitle); err != nil {
		return err
	}
	if err := checkEnum("kind", a.Kind, AgencyKinds); err != nil {
		return err
	}
	if a.Parent != "" {
		if err := checkSlug("parent", a.Parent); err != nil {
			return err
		}
		if a.Parent == a.Code {
			return Invalid("parent", "یک دستگاه نمی‌تواند والد خودش باشد", "an agency cannot be its own parent")
		}
	}
	return checkSources("sources", a.Sources)
}

// Validate checks a law's own fields.
func (l *Law) Validate() error {
	if err := checkSlug("slug", l.Slug); err != nil {
		return err
	}
	if err := validText("title", l.Title, true, maxTitle); err != nil {
		return err
	}
	if err := validText("approving_body", l.ApprovingBody, false, maxTitle); err != nil {
		return err
	}
	if err := CheckLine("number", l.Number, maxTitle); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, a := range l.Articles {
		f := "articles[" + strconv.Itoa(i) + "]"
		if strings.TrimSpace(a.Number) == "" {
			return Invalid(f+".number", "شماره ماده خالی است", "article number is empty")
		}
		if err := CheckLine(f+".number", a.Number, maxTitle); err != nil {
			return err
		}
		if seen[a.Number] {
			return Invalid(f+".number", "شماره ماده تکراری است", "duplicate article number")
		}
		seen[a.Number] = true
		if err := validText(f+".text", a.Text, false, maxLong); err != nil {
			return err
		}
	}
	return checkSources("sources", l.Sources)
}

// HasArticle reports whether the law lists the article. A law recorded with
// no articles at all accepts any article, since its text may not be on file.
func (l *Law) HasArticle(number string) bool {
	if len(l.Articles) == 0 {
		return true
	}
	for _, a := range l.Articles {
		if a.Number == number {
			return true
		}
	}
	return false
}

// Validate checks a term's own fields.
func (t *Term) Validate() error {
	if t.Number < 1 || t.Number > 1000 {
		return Invalid("number", "شماره دولت باید بین ۱ و ۱۰۰۰ باشد", "term number must be between 1 and 1000")
	}
	if err := validText("name", t.Name, true, maxTitle); err != nil {
		return err
	}
	if t.Start != nil && t.End != nil && t.End.Before(*t.Start) {
		return Invalid("end", "پایان دوره پیش از آغاز آن است", "the term ends before it starts")
	}
	return checkSources("sources", t.Sources)
}

// Validate checks a program's own fields (not whether its term or candidates
// exist).
func (p *Program) Validate() error {
	if err := checkSlug("id", p.Slug); err != nil {
		return err
	}
	if err := validText("title", p.Title, true, maxTitle); err != nil {
		return err
	}
	if p.Term < 1 {
		return Invalid("term", "دولت برنامه مشخص نیست", "the program's government term is required")
	}
	if err := checkEnum("kind", p.Kind, ProgramKinds); err != nil {
		return err
	}
	if err := checkEnum("visibility", p.Visibility, Visibilities); err != nil {
		return err
	}
	if err := checkEnum("status", p.Status, ProgramStatuses); err != nil {
		return err
	}
	if p.DeclaredSize != nil && (*p.DeclaredSize < 0 || *p.DeclaredSize > 100000) {
		return Invalid("declared_size", "اندازه اعلام‌شده نامعتبر است", "declared size must be between 0 and 100000")
	}
	if err := validText("source_notes", p.SourceNotes, false, maxLong); err != nil {
		return err
	}
	for i, s := range p.Stages {
		f := "stages[" + strconv.Itoa(i) + "]"
		if err := checkEnum(f+".body", s.Body, Bodies); err != nil {
			return err
		}
		if s.Count != nil && (*s.Count < 0 || *s.Count > 100000) {
			return Invalid(f+".sourced_count", "تعداد نامعتبر است", "count must be between 0 and 100000")
		}
		if err := CheckLine(f+".resolution", s.Resolution, maxTitle); err != nil {
			return err
		}
		for j, c := range s.Passed {
			if err := checkSlug(f+".passed["+strconv.Itoa(j)+"]", c); err != nil {
				return err
			}
		}
		if err := validText(f+".note", s.Note, false, maxLong); err != nil {
			return err
		}
		if err := checkSources(f+".sources", s.Sources); err != nil {
			return err
		}
	}
	for i, c := range p.Candidates {
		if err := checkSlug("candidates["+strconv.Itoa(i)+"]", c); err != nil {
			return err
		}
	}
	return checkSources("sources", p.Sources)
}

// Validate checks a project's own fields and the shape of its links. Whether
// the agencies, laws and projects it names exist is the store's to check; the
// designation rules (two agencies, a mandate, …) are not checked here, since a
// project may be recorded long before it qualifies for a list.
func (p *Project) Validate() error {
	if err := checkSlug("slug", p.Slug); err != nil {
		return err
	}
	if err := validText("title", p.Title, true, maxTitle); err != nil {
		return err
	}
	for f, t := range map[string]Text{"summary": p.Summary, "scope": p.Scope} {
		if err := validText(f, t, false, maxLong); err != nil {
			return err
		}
	}
	if err := checkEnum("kind", p.Kind, ProjectKinds); err != nil {
		return err
	}
	if err := checkEnum("confidentiality", p.Confidentiality, Confidentialities); err != nil {
		return err
	}
	if err := checkEnum("status", p.Status, Lifecycles); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, a := range p.Agencies {
		f := "agencies[" + strconv.Itoa(i) + "]"
		if err := checkSlug(f+".agency", a.Agency); err != nil {
			return err
		}
		if err := checkEnum(f+".role", a.Role, Roles); err != nil {
			return err
		}
		if seen[a.Agency] {
			return Invalid(f+".agency", "این دستگاه دو بار آمده است", "agency listed twice")
		}
		seen[a.Agency] = true
		if err := validText(f+".note", a.Note, false, maxLong); err != nil {
			return err
		}
	}
	if err := checkOneLead(p.Agencies); err != nil {
		return err
	}
	seenM := map[string]bool{}
	for i, m := range p.Mandates {
		f := "mandates[" + strconv.Itoa(i) + "]"
		if err := checkSlug(f+".law", m.Law); err != nil {
			return err
		}
		if strings.TrimSpace(m.Article) == "" {
			return Invalid(f+".article", "ماده قانون مشخص نیست", "the article of the law is required")
		}
		if err := CheckLine(f+".article", m.Article, maxTitle); err != nil {
			return err
		}
		if err := validText(f+".note", m.Note, false, maxLong); err != nil {
			return err
		}
		if seenM[m.Law+"\x00"+m.Article] {
			return Invalid(f, "این مستند قانونی دو بار آمده است", "mandate listed twice")
		}
		seenM[m.Law+"\x00"+m.Article] = true
	}
	for i, d := range p.Deliverables {
		f := "deliverables[" + strconv.Itoa(i) + "]"
		if err := validText(f+".title", d.Title, true, maxTitle); err != nil {
			return err
		}
		if err := validText(f+".indicator", d.Indicator, false, maxTitle); err != nil {
			return err
		}
		if err := CheckLine(f+".target", d.Target, maxTitle); err != nil {
			return err
		}
	}
	seenD := map[string]bool{}
	for i, s := range p.DependsOn {
		f := "depends_on[" + strconv.Itoa(i) + "]"
		if err := checkSlug(f, s); err != nil {
			return err
		}
		if s == p.Slug {
			return Invalid(f, "پروژه نمی‌تواند به خودش وابسته باشد", "a project cannot depend on itself")
		}
		if seenD[s] {
			return Invalid(f, "این پروژه دو بار آمده است", "project listed twice")
		}
		seenD[s] = true
	}
	for i, c := range p.Capabilities {
		if err := checkSlug("capabilities["+strconv.Itoa(i)+"]", c); err != nil {
			return err
		}
	}
	for i, pr := range p.Predecessors {
		f := "predecessors[" + strconv.Itoa(i) + "]"
		if err := checkSlug(f+".project", pr.Project); err != nil {
			return err
		}
		if pr.Project == p.Slug {
			return Invalid(f+".project", "پروژه نمی‌تواند جانشین خودش باشد", "a project cannot succeed itself")
		}
		if err := checkEnum(f+".kind", pr.Kind, LineageKinds); err != nil {
			return err
		}
		if err := validText(f+".note", pr.Note, false, maxLong); err != nil {
			return err
		}
		if err := checkSources(f+".sources", pr.Sources); err != nil {
			return err
		}
	}
	return checkSources("sources", p.Sources)
}

// checkOneLead holds a project to exactly one lead agency once any agency is
// recorded: the lead is who answers for it (who reports, who owns its
// actions, who may edit it), so two leads, or participants with no lead,
// would leave that unanswered. A project with no agencies at all is a draft
// whose agencies are not known yet — as in the reference dataset, where no
// source names them — and stays allowed; the designation rules keep such a
// project off a list.
func checkOneLead(agencies []Participation) error {
	if len(agencies) == 0 {
		return nil
	}
	leads := 0
	for _, a := range agencies {
		if a.Role == RoleLead {
			leads++
		}
	}
	switch {
	case leads == 0:
		return Invalid("agencies", "دستگاه‌های پروژه یک دستگاه راهبر (lead) ندارند؛ دقیقاً یکی را راهبر کنید",
			"the project's agencies have no lead: make exactly one of them the lead")
	case leads > 1:
		return Invalid("agencies", "پروژه بیش از یک دستگاه راهبر دارد؛ فقط یکی راهبر است و بقیه همکار (participant)",
			"the project has more than one lead agency: exactly one leads, the others participate")
	}
	return nil
}

// Validate checks a membership event's own fields.
func (e *MembershipEvent) Validate() error {
	switch e.Type {
	case EventEntered:
		if e.Stage != "" {
			if err := checkEnum("stage", e.Stage, Bodies); err != nil {
				return err
			}
		}
	case EventLeft:
		if err := checkEnum("reason", e.Reason, LeaveReasons); err != nil {
			return err
		}
		if e.Reason == LeaveOther && e.Note.IsZero() {
			return Invalid("note", "برای دلیل «دیگر» توضیح لازم است", "a note is required when the reason is \"other\"")
		}
		if e.Successor != "" {
			if err := checkSlug("successor", e.Successor); err != nil {
				return err
			}
			if e.Successor == e.Project {
				return Invalid("successor", "پروژه نمی‌تواند جانشین خودش باشد", "a project cannot succeed itself")
			}
		}
	case EventVoided:
		if e.Voids <= 0 {
			return Invalid("voids", "رویداد اصلاح‌شونده مشخص نیست", "the event to void is required")
		}
	default:
		return checkEnum("type", e.Type, []EventType{EventEntered, EventLeft, EventVoided})
	}
	if err := validText("note", e.Note, false, maxLong); err != nil {
		return err
	}
	return checkSources("sources", e.Sources)
}
