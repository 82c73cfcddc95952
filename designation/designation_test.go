package designation

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
)

// fixture returns an input that passes every rule; each test case breaks it
// in one way.
func fixture() Input {
	p := &domain.Project{
		Slug:            "unique-address",
		Title:           domain.T("سامانه نشانی یکتای مکان‌محور", "Unique location-based address system"),
		Scope:           domain.T("یک نشانی یکتا برای هر مکان، قابل استعلام برای همه دستگاه‌ها", "one unique address per place, queryable by every agency"),
		Kind:            domain.KindService,
		Confidentiality: domain.Public,
		Status:          domain.Designated,
		Agencies: []domain.Participation{
			{Agency: "post", Role: domain.RoleLead},
			{Agency: "sci", Role: domain.RoleParticipant},
		},
		Mandates: []domain.Mandate{{Law: "seventh-plan", Article: "67"}},
		Deliverables: []domain.Deliverable{{
			Title:     domain.T("پوشش نشانی", "address coverage"),
			Indicator: domain.T("درصد نشانی‌های یکتا", "share of places with a unique address"),
			Target:    "90%",
		}},
		Capabilities: []string{"address"},
	}
	return Input{
		Project: p,
		Program: &domain.Program{Slug: "smart-13", Title: domain.T("پروژه‌های پیشران هوشمندسازی دولت", "Smart government driving projects"),
			Term: 13, Visibility: domain.VisibilityPublic, Status: domain.ProgramAdopted},
		Agencies: map[string]*domain.Agency{
			"post": {Code: "post", Name: domain.T("شرکت ملی پست", "National Post Company")},
			"sci":  {Code: "sci", Name: domain.T("مرکز آمار", "Statistical Centre")},
		},
		Laws: map[string]*domain.Law{
			"seventh-plan": {Slug: "seventh-plan", Title: domain.T("قانون برنامه هفتم", "Seventh Development Plan Act"),
				Articles: []domain.Article{{Number: "67"}, {Number: "138"}}},
		},
		Infrastructure: []*domain.Project{{
			Slug: "nix", Title: domain.T("مرکز ملی تبادل اطلاعات", "National Information Exchange Center"),
			Kind: domain.KindInfrastructure, Status: domain.Implemented, Capabilities: []string{"inquiry", "exchange"},
		}},
	}
}

type found struct {
	rule string
	sev  domain.Severity
}

func summary(vs []domain.Violation) []found {
	out := []found{}
	for _, v := range vs {
		out = append(out, found{v.Rule, v.Severity})
	}
	return out
}

func TestCheck(t *testing.T) {
	B, W := domain.Blocking, domain.Warning
	tests := []struct {
		name   string
		modify func(*Input)
		want   []found
	}{
		{"valid project passes", func(*Input) {}, nil},

		// legal-mandate
		{"no mandate", func(in *Input) { in.Project.Mandates = nil }, []found{{RuleLegalMandate, B}}},
		{"unknown law", func(in *Input) { in.Project.Mandates[0].Law = "no-such-law" }, []found{{RuleLegalMandate, B}}},
		{"unknown article", func(in *Input) { in.Project.Mandates[0].Article = "999" }, []found{{RuleLegalMandate, B}}},
		{"law without articles on file accepts any article", func(in *Input) {
			in.Laws["seventh-plan"].Articles = nil
			in.Project.Mandates[0].Article = "999"
		}, nil},
		{"one bad mandate of two", func(in *Input) {
			in.Project.Mandates = append(in.Project.Mandates, domain.Mandate{Law: "ghost", Article: "1"})
		}, []found{{RuleLegalMandate, B}}},

		// multi-agency
		{"single agency", func(in *Input) { in.Project.Agencies = in.Project.Agencies[:1] }, []found{{RuleMultiAgency, B}}},
		{"no agencies", func(in *Input) { in.Project.Agencies = nil }, []found{{RuleMultiAgency, B}, {RuleMultiAgency, B}}},
		{"same agency twice", func(in *Input) {
			in.Project.Agencies[1].Agency = "post"
		}, []found{{RuleMultiAgency, B}}},
		{"no lead", func(in *Input) { in.Project.Agencies[0].Role = domain.RoleParticipant }, []found{{RuleMultiAgency, B}}},
		{"two leads", func(in *Input) { in.Project.Agencies[1].Role = domain.RoleLead }, []found{{RuleMultiAgency, B}}},
		{"unknown agency", func(in *Input) { in.Project.Agencies[1].Agency = "ghost" }, []found{{RuleMultiAgency, B}}},
		{"three agencies one lead", func(in *Input) {
			in.Agencies["ito"] = &domain.Agency{Code: "ito"}
			in.Project.Agencies = append(in.Project.Agencies, domain.Participation{Agency: "ito", Role: domain.RoleParticipant})
		}, nil},

		// publicly-reportable
		{"confidential into public", func(in *Input) { in.Project.Confidentiality = domain.Confidential }, []found{{RulePubliclyReportable, B}}},
		{"restricted into public warns", func(in *Input) { in.Project.Confidentiality = domain.Restricted }, []found{{RulePubliclyReportable, W}}},
		{"confidential into restricted list", func(in *Input) {
			in.Project.Confidentiality = domain.Confidential
			in.Program.Visibility = domain.VisibilityRestricted
		}, nil},

		// specific-scope
		{"no scope", func(in *Input) { in.Project.Scope = domain.Text{} }, []found{{RuleSpecificScope, B}}},
		{"blank scope", func(in *Input) { in.Project.Scope = domain.T("  ", "\t") }, []found{{RuleSpecificScope, B}}},
		{"english scope only is enough", func(in *Input) { in.Project.Scope.FA = "" }, nil},
		{"no deliverables", func(in *Input) { in.Project.Deliverables = nil }, []found{{RuleSpecificScope, B}}},
		{"deliverable without target", func(in *Input) { in.Project.Deliverables[0].Target = "" }, []found{{RuleSpecificScope, B}}},
		{"deliverable without indicator", func(in *Input) { in.Project.Deliverables[0].Indicator = domain.Text{} }, []found{{RuleSpecificScope, B}}},
		{"umbrella title electronic banking", func(in *Input) {
			in.Project.Title = domain.T("بانکداری الکترونیک", "Electronic banking")
		}, []found{{RuleSpecificScope, W}}},
		{"umbrella title e-government", func(in *Input) { in.Project.Title = domain.T("", "E-Government") }, []found{{RuleSpecificScope, W}}},
		{"umbrella title eGovernment glued", func(in *Input) { in.Project.Title = domain.T("", "eGovernment") }, []found{{RuleSpecificScope, W}}},
		{"umbrella title persian only", func(in *Input) { in.Project.Title = domain.T("دولت الكترونيك", "") }, []found{{RuleSpecificScope, W}}},
		{"umbrella title with ezafe kasra", func(in *Input) { in.Project.Title = domain.T("دولتِ هوشمند", "") }, []found{{RuleSpecificScope, W}}},
		{"umbrella title electronic services", func(in *Input) { in.Project.Title = domain.T("", "Electronic services") }, []found{{RuleSpecificScope, W}}},
		{"umbrella title three words", func(in *Input) { in.Project.Title = domain.T("خدمات الکترونیکی دولت", "") }, []found{{RuleSpecificScope, W}}},
		{"known umbrella without qualifier", func(in *Input) { in.Project.Title = domain.T("تحول دیجیتال", "Digital transformation") }, []found{{RuleSpecificScope, W}}},
		{"smart health warns but does not block", func(in *Input) {
			in.Project.Title = domain.T("سلامت هوشمند", "Smart health")
		}, []found{{RuleSpecificScope, W}}},
		{"umbrella title and no scope", func(in *Input) {
			in.Project.Title = domain.T("", "Smart government")
			in.Project.Scope = domain.Text{}
		}, []found{{RuleSpecificScope, B}, {RuleSpecificScope, W}}},
		{"specific system title", func(in *Input) {
			in.Project.Title = domain.T("سامانه یکپارچه بانکی", "Integrated core banking system")
		}, nil},
		{"electronic tax is not a domain", func(in *Input) { in.Project.Title = domain.T("مالیات الکترونیک", "Electronic tax") }, nil},
		{"smart identity is not a domain", func(in *Input) { in.Project.Title = domain.T("هویت هوشمند", "Smart identity") }, nil},
		{"long title with domain words", func(in *Input) {
			in.Project.Title = domain.T("", "Smart health electronic record exchange platform")
		}, nil},

		// duplicate
		{"already a member", func(in *Input) { in.Member = true }, []found{{RuleDuplicate, B}}},

		// program-open
		{"closed program", func(in *Input) { in.Program.Status = domain.ProgramClosed }, []found{{RuleProgramOpen, B}}},
		{"draft program is open", func(in *Input) { in.Program.Status = domain.ProgramDraft }, nil},

		// project-active
		{"withdrawn", func(in *Input) { in.Project.Status = domain.Withdrawn }, []found{{RuleProjectActive, B}}},
		{"implemented", func(in *Input) { in.Project.Status = domain.Implemented }, []found{{RuleProjectActive, B}}},
		{"in progress may join", func(in *Input) { in.Project.Status = domain.InProgress }, nil},
		{"suspended may join", func(in *Input) { in.Project.Status = domain.Suspended }, nil},

		// superseded-capability
		{"inquiry service overlaps nix", func(in *Input) {
			in.Project.Capabilities = []string{"inquiry"}
		}, []found{{RuleSupersededCapability, W}}},
		{"infrastructure project is not superseded", func(in *Input) {
			in.Project.Capabilities = []string{"inquiry"}
			in.Project.Kind = domain.KindInfrastructure
		}, nil},
		{"infrastructure not yet in service is ignored", func(in *Input) {
			in.Project.Capabilities = []string{"inquiry"}
			in.Infrastructure[0].Status = domain.Proposed
		}, nil},
		{"the project itself is ignored", func(in *Input) {
			in.Project.Capabilities = []string{"inquiry"}
			in.Infrastructure[0].Slug = in.Project.Slug
		}, nil},
		{"two overlapping infrastructures", func(in *Input) {
			in.Project.Capabilities = []string{"inquiry", "identity"}
			in.Infrastructure = append(in.Infrastructure, &domain.Project{Slug: "smart-identity",
				Title: domain.T("هویت هوشمند", "Smart identity"), Kind: domain.KindInfrastructure,
				Status: domain.InProgress, Capabilities: []string{"identity"}})
		}, []found{{RuleSupersededCapability, W}, {RuleSupersededCapability, W}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := fixture()
			tc.modify(&in)
			got := summary(Check(in))
			want := tc.want
			if want == nil {
				want = []found{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v\n%+v", got, want, Check(in))
			}
		})
	}
}

func TestThreeRulesAtOnce(t *testing.T) {
	in := fixture()
	in.Project.Agencies = in.Project.Agencies[:1]
	in.Project.Mandates = nil
	in.Project.Confidentiality = domain.Confidential
	vs := domain.BlockingOf(Check(in))
	var rules []string
	for _, v := range vs {
		rules = append(rules, v.Rule)
	}
	want := []string{RuleLegalMandate, RuleMultiAgency, RulePubliclyReportable}
	if !reflect.DeepEqual(rules, want) {
		t.Fatalf("blocking rules = %v, want %v", rules, want)
	}
}

func TestFields(t *testing.T) {
	in := fixture()
	in.Project.Agencies = nil
	in.Project.Mandates = nil
	in.Project.Confidentiality = domain.Confidential
	in.Project.Scope = domain.Text{}
	in.Project.Deliverables = nil
	in.Project.Title = domain.T("بانکداری الکترونیک", "")
	in.Project.Status = domain.Withdrawn
	in.Project.Capabilities = []string{"inquiry"}
	fields := map[string]bool{}
	for _, v := range Check(in) {
		fields[v.Field] = true
	}
	for _, f := range []string{"mandates", "agencies", "confidentiality", "scope", "deliverables", "title", "status", "capabilities"} {
		if !fields[f] {
			t.Errorf("no violation names field %q (got %v)", f, fields)
		}
	}
}

func TestSupersededNamesInfrastructure(t *testing.T) {
	in := fixture()
	in.Project.Capabilities = []string{"inquiry"}
	vs := Check(in)
	if len(vs) != 1 {
		t.Fatalf("got %v", vs)
	}
	if !strings.Contains(vs[0].Message.EN, "National Information Exchange Center") ||
		!strings.Contains(vs[0].Message.FA, "مرکز ملی تبادل اطلاعات") {
		t.Errorf("message does not name the infrastructure project in both languages: %+v", vs[0].Message)
	}
}

func TestUmbrellaMessageGivesReason(t *testing.T) {
	in := fixture()
	in.Project.Title = domain.T("", "Electronic banking")
	vs := Check(in)
	if len(vs) != 1 || vs[0].Field != "title" {
		t.Fatalf("got %v", vs)
	}
	for _, s := range []string{vs[0].Message.EN, vs[0].Message.FA} {
		if !strings.Contains(s, "Electronic banking") {
			t.Errorf("message does not quote the title: %s", s)
		}
	}
	if !strings.Contains(vs[0].Message.EN, "payment systems") || !strings.Contains(vs[0].Message.FA, "پرداخت") {
		t.Errorf("message does not give the reason: %+v", vs[0].Message)
	}
}

func TestDeterministic(t *testing.T) {
	in := fixture()
	in.Project.Agencies = []domain.Participation{{Agency: "x1", Role: domain.RoleLead}, {Agency: "x2", Role: domain.RoleLead}, {Agency: "x3"}}
	in.Project.Mandates = []domain.Mandate{{Law: "a", Article: "1"}, {Law: "b", Article: "2"}, {Law: "seventh-plan", Article: "0"}}
	in.Project.Capabilities = []string{"inquiry", "exchange", "identity"}
	in.Infrastructure = append(in.Infrastructure,
		&domain.Project{Slug: "b-infra", Kind: domain.KindInfrastructure, Status: domain.Implemented, Capabilities: []string{"identity"}},
		&domain.Project{Slug: "a-infra", Kind: domain.KindInfrastructure, Status: domain.Implemented, Capabilities: []string{"exchange"}})
	first := Check(in)
	for i := 0; i < 50; i++ {
		if got := Check(in); !reflect.DeepEqual(got, first) {
			t.Fatalf("run %d differs:\n%v\n%v", i, got, first)
		}
	}
	// The order the caller gathered the infrastructure in does not matter.
	slices.Reverse(in.Infrastructure)
	if got := Check(in); !reflect.DeepEqual(got, first) {
		t.Fatalf("infrastructure order changed the result:\n%v\n%v", got, first)
	}
}

func TestRuleOrder(t *testing.T) {
	in := fixture()
	in.Project.Mandates = nil
	in.Project.Agencies = nil
	in.Project.Confidentiality = domain.Confidential
	in.Project.Scope = domain.Text{}
	in.Member = true
	in.Program.Status = domain.ProgramClosed
	in.Project.Status = domain.Implemented
	in.Project.Capabilities = []string{"inquiry"}
	order := map[string]int{}
	for i, r := range Rules() {
		order[r.ID] = i
	}
	last := -1
	seen := map[string]bool{}
	for _, v := range Check(in) {
		i, ok := order[v.Rule]
		if !ok {
			t.Fatalf("violation of unknown rule %q", v.Rule)
		}
		if i < last {
			t.Fatalf("violations out of rule order at %q", v.Rule)
		}
		last = i
		seen[v.Rule] = true
	}
	if len(seen) != len(order) {
		t.Errorf("expected every rule to fire, got %v", seen)
	}
}

func TestRulesTexts(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range Rules() {
		if r.ID == "" || ids[r.ID] {
			t.Errorf("empty or duplicate rule id %q", r.ID)
		}
		ids[r.ID] = true
		if r.Severity != domain.Blocking && r.Severity != domain.Warning {
			t.Errorf("%s: bad severity %q", r.ID, r.Severity)
		}
		for name, txt := range map[string]domain.Text{"title": r.Title, "explain": r.Explain} {
			if strings.TrimSpace(txt.FA) == "" || strings.TrimSpace(txt.EN) == "" {
				t.Errorf("%s: %s lacks a language: %+v", r.ID, name, txt)
			}
		}
		if r.Check == nil {
			t.Errorf("%s: no check", r.ID)
		}
	}
	want := []string{RuleLegalMandate, RuleMultiAgency, RulePubliclyReportable, RuleSpecificScope,
		RuleDuplicate, RuleProgramOpen, RuleProjectActive, RuleSupersededCapability}
	for _, id := range want {
		if !ids[id] {
			t.Errorf("missing rule %q", id)
		}
	}
	if r := Rules(); r[len(r)-1].Severity != domain.Warning {
		t.Errorf("superseded-capability should be a warning")
	}
}

// Every violation any rule can produce has both languages in its message and
// fix, and the rule's own id.
func TestViolationTexts(t *testing.T) {
	ins := []func(*Input){
		func(in *Input) {
			in.Project.Mandates = []domain.Mandate{{Law: "ghost", Article: "1"}, {Law: "seventh-plan", Article: "0"}}
			in.Project.Agencies = []domain.Participation{{Agency: "ghost"}}
			in.Project.Confidentiality = domain.Confidential
			in.Project.Scope = domain.Text{}
			in.Project.Deliverables = nil
			in.Project.Title = domain.T("دولت هوشمند", "Smart government")
			in.Member = true
			in.Program.Status = domain.ProgramClosed
			in.Project.Status = domain.Implemented
			in.Project.Capabilities = []string{"inquiry"}
		},
		func(in *Input) {
			in.Project.Mandates = nil
			in.Project.Agencies = []domain.Participation{{Agency: "post", Role: domain.RoleLead}, {Agency: "sci", Role: domain.RoleLead}}
			in.Project.Confidentiality = domain.Restricted
			in.Project.Status = domain.Withdrawn
		},
	}
	valid := map[string]bool{}
	for _, r := range Rules() {
		valid[r.ID] = true
	}
	for i, f := range ins {
		in := fixture()
		f(&in)
		for _, v := range Check(in) {
			if !valid[v.Rule] {
				t.Errorf("case %d: unknown rule %q", i, v.Rule)
			}
			for _, s := range []string{v.Message.FA, v.Message.EN, v.Fix.FA, v.Fix.EN} {
				if strings.TrimSpace(s) == "" {
					t.Errorf("case %d: %s violation lacks a text: %+v", i, v.Rule, v)
				}
			}
		}
	}
}

func TestNilInputs(t *testing.T) {
	// A missing project or program must not panic.
	_ = Check(Input{})
	in := fixture()
	in.Program = nil
	if vs := Check(in); len(vs) != 0 {
		t.Errorf("got %v", vs)
	}
}

func TestUmbrella(t *testing.T) {
	yes := []string{"Electronic banking", "e-government", "E-Health", "smart government", "Digital Health Services",
		"بانکداری الکترونیک", "بانکداری الکترونیکی", "دولت الکترونیک", "سلامت هوشمند", "خدمات الکترونیک",
		"Smart city", "هوشمندسازی دولت", "ehealth", "Electronic government services"}
	no := []string{"", "Unique location-based address system", "Electronic tax", "Neobank", "نئوبانک",
		"Integrated banking system", "Payment systems", "Government electronic procurement system (Setad)",
		"سامانه جامع مالیاتی", "Smart identity card", "Education", "Economy", "electronic"}
	for _, s := range yes {
		if ok, _, _ := umbrella(s); !ok {
			t.Errorf("umbrella(%q) = false, want true", s)
		}
	}
	for _, s := range no {
		if ok, _, _ := umbrella(s); ok {
			t.Errorf("umbrella(%q) = true, want false", s)
		}
	}
}
