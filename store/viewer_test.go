package store_test

import (
	"testing"

	"github.com/pishran/pishran/domain"
)

// Who sees a project, and who its follow-up: a restricted project is
// public, its follow-up staff-only; a confidential one is the secretariat's
// and its own agencies'.
func TestViewerSees(t *testing.T) {
	entry := func(c domain.Confidentiality) *domain.ProjectEntry {
		return &domain.ProjectEntry{Slug: "p", Confidentiality: c, Agencies: []string{"moh"}}
	}
	viewers := map[string]domain.Viewer{
		"public": {}, "reader": {Staff: true}, "moh": {Staff: true, Agency: "moh"}, "ito": {Staff: true, Agency: "ito"}, "secretariat": {All: true, Staff: true},
	}
	want := map[domain.Confidentiality]map[string][2]bool{ // viewer → {project, follow-up}
		domain.Public:       {"public": {true, true}, "reader": {true, true}, "moh": {true, true}, "ito": {true, true}, "secretariat": {true, true}},
		domain.Restricted:   {"public": {true, false}, "reader": {true, true}, "moh": {true, true}, "ito": {true, true}, "secretariat": {true, true}},
		domain.Confidential: {"public": {false, false}, "reader": {false, false}, "moh": {true, true}, "ito": {false, false}, "secretariat": {true, true}},
	}
	for c, byViewer := range want {
		for name, w := range byViewer {
			v := viewers[name]
			if got := v.SeesProject(entry(c)); got != w[0] {
				t.Errorf("%s sees a %s project: %v, want %v", name, c, got, w[0])
			}
			if got := v.SeesFollowUp(entry(c)); got != w[1] {
				t.Errorf("%s sees a %s project's follow-up: %v, want %v", name, c, got, w[1])
			}
		}
	}
}
