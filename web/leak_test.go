package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testdb"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// marker is planted in every field of a confidential project and of every
// record about it; no public answer may contain it, in any case.
const marker = "zqxmark"

func m(what string) string { return "ZQXMARK " + what }

func mt(what string) domain.Text { return domain.T(m(what)+" فا", m(what)+" en") }

// TestConfidentialMarkerScan plants the marker in a confidential project
// (on a public list's history and a restricted list, with a baseline,
// milestone, indicator, accepted report, ratings, a decision and an action
// about it) and reads every public page, API answer, feed and download as
// the public, looking for it. The same reads as the secretariat must find
// it, or the planting proved nothing.
func TestConfidentialMarkerScan(t *testing.T) {
	for _, eng := range testdb.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnv(t, eng)
			ctx := context.Background()
			svc, sys := e.svc, service.System
			slug := marker + "-secret"
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			p := &domain.Project{Slug: slug, Title: mt("title"), Summary: mt("summary"), Scope: mt("scope"),
				Kind: domain.KindService, Confidentiality: domain.Confidential, Status: domain.InProgress,
				Agencies: []domain.Participation{{Agency: "ito", Role: domain.RoleLead, Note: mt("lead note")},
					{Agency: "ict", Role: domain.RoleParticipant, Note: mt("participant note")}},
				Mandates:     []domain.Mandate{{Law: "constitution", Article: "138", Note: mt("mandate note")}},
				Deliverables: []domain.Deliverable{{Title: mt("deliverable"), Indicator: mt("indicator"), Target: m("target")}},
				Capabilities: []string{marker + "-capability"},
				Predecessors: []domain.Predecessor{{Project: "e-banking", Kind: domain.LineageReplaced, Note: mt("lineage note")}},
				Sources:      []domain.Source{{Ref: m("source"), Note: m("source note")}}}
			must(svc.CreateProject(ctx, sys, p))
			// On the public 12th-government list's history (as the reference
			// data's own confidential project is), and on a restricted list.
			must(svc.DB().Update(ctx, func(tx *store.Tx) error {
				return tx.AppendEvent(&domain.MembershipEvent{Program: "gov13-smart-driving", Project: slug, Type: domain.EventEntered,
					Stage: domain.BodyCouncil, Note: mt("entry note"), Sources: p.Sources, RecordedBy: m("recorder")})
			}))
			must(svc.CreateProgram(ctx, sys, &domain.Program{Slug: marker + "-list", Title: mt("list"), Term: 13,
				Kind: domain.ProgramOther, Visibility: domain.VisibilityRestricted, Status: domain.ProgramAdopted}))
			_, _, err := svc.Designate(ctx, sys, service.Designation{Program: marker + "-list", Project: slug, Note: mt("designation note")})
			must(err)
			// Follow-up about it.
			must(svc.CreateBaseline(ctx, sys, &domain.Baseline{Project: slug, Start: domain.DatePtr("2024-01-01"), End: domain.DatePtr("2026-12-31"),
				Cost: 1000, ApprovedBy: mt("approver"), Approved: domain.DatePtr("2024-01-01"), Reference: m("ref")}))
			must(svc.CreateMilestone(ctx, service.Actor{Name: "x", Role: service.RoleAgency, Agency: "ito"},
				&domain.Milestone{Project: slug, Title: mt("milestone"), Planned: domain.DatePtr("2025-06-01")}))
			ito := service.Actor{Name: "token:ito", Role: service.RoleAgency, Agency: "ito"}
			rep := &domain.Report{Project: slug, Period: "2024-03", Narrative: mt("narrative"),
				Risks: []domain.Risk{{Text: mt("risk"), Severity: domain.RiskLevel("high")}}}
			must(svc.CreateReport(ctx, ito, rep))
			_, err = svc.SubmitReport(ctx, ito, rep.ID, 0)
			must(err)
			_, err = svc.AcceptReport(ctx, sys, rep.ID, 0, mt("review comment"))
			must(err)
			must(svc.Rate(ctx, ito, &domain.Rating{Project: slug, Kind: domain.SelfRating, Score: 5, Comment: mt("self rating")}))
			must(svc.Rate(ctx, sys, &domain.Rating{Project: slug, Kind: domain.CouncilRating, Score: 2, Comment: mt("council rating")}))
			must(svc.CreateSeries(ctx, sys, &domain.Series{Code: "itec", Name: domain.T("شورا", "Council"), Kind: domain.SeriesCouncil}))
			d := domain.MustDate("2024-03-01")
			_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: 1, Date: &d, Title: domain.T("جلسه", "session")})
			must(err)
			_, err = svc.HoldMeeting(ctx, sys, "itec-1", 0)
			must(err)
			_, _, err = svc.RecordOutcome(ctx, sys, "itec-1", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "1/1",
				Text: mt("decision"), Projects: []string{slug}})
			must(err)
			due := domain.MustDate("2024-04-01")
			_, _, err = svc.RecordOutcome(ctx, sys, "itec-1", service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "ito",
				Due: &due, Description: mt("action"), Projects: []string{slug}})
			must(err)
			_, err = svc.CloseMeeting(ctx, sys, "itec-1", 0)
			must(err)

			urls := []string{
				"/", "/?lang=en", "/compare", "/compare?lang=en", "/data", "/data/dictionary",
				"/programs/gov13-smart-driving", "/programs/gov13-smart-driving?lang=en", "/programs/gov12-egov-priority",
				"/projects/e-banking", "/projects/neobank?lang=en",
				"/api/v1/programs", "/api/v1/programs/gov13-smart-driving", "/api/v1/programs/gov13-smart-driving/projects",
				"/api/v1/projects?limit=1000", "/api/v1/projects/e-banking", "/api/v1/agencies/ito", "/api/v1/agencies",
				"/api/v1/laws", "/api/v1/terms", "/api/v1/rules",
				"/api/v1/compare?from=gov12-egov-priority&to=gov13-smart-driving",
				"/api/v1/compare?from=gov13-smart-driving&to=gov12-egov-priority",
				"/api/v1/reports?limit=1000", "/api/v1/decisions", "/api/v1/decisions.atom", "/api/v1/meetings",
				"/api/v1/meetings/itec-1", "/api/v1/series", "/api/v1/status", "/api/v1/status?program=gov13-smart-driving",
				"/api/v1/status?agency=ito",
				"/api/v1/meetings/itec-1/minutes?lang=fa&format=md", "/api/v1/meetings/itec-1/minutes?lang=en&format=html",
				// The project's own addresses: all "not found" for the public.
				"/projects/" + slug, "/api/v1/projects/" + slug, "/api/v1/projects/" + slug + "/health",
				"/api/v1/projects/" + slug + "/ratings", "/api/v1/projects/" + slug + "/baselines",
				"/api/v1/projects/" + slug + "/milestones", "/api/v1/projects/" + slug + "/kpis",
				"/api/v1/reports/" + itoa(rep.ID), "/api/v1/programs/" + marker + "-list",
				"/api/v1/programs/gov13-smart-driving/members/" + slug + "/events",
			}
			// Every download the open-data page offers.
			for _, link := range regexp.MustCompile(`href="(/data/[^"?#]+)"`).FindAllStringSubmatch(string(e.get("/data", "").body), -1) {
				urls = append(urls, link[1])
			}
			leaks := func(body []byte) bool {
				if bytes.HasPrefix(body, []byte("PK")) { // XLSX: look inside the archive
					zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
					if err == nil {
						for _, f := range zr.File {
							rc, _ := f.Open()
							b, _ := io.ReadAll(rc)
							rc.Close()
							if strings.Contains(strings.ToLower(string(b)), marker) {
								return true
							}
						}
					}
				}
				return strings.Contains(strings.ToLower(string(body)), marker)
			}
			downloads := 0
			for _, u := range urls {
				r := e.get(u, "")
				if r.StatusCode >= 500 {
					t.Errorf("%s: %d", u, r.StatusCode)
				}
				if strings.HasPrefix(u, "/data/") && u != "/data/dictionary" {
					downloads++
				}
				// A "not found" answer may echo the address asked for; that is
				// the caller's own input, not a leak.
				body := bytes.ReplaceAll(r.body, []byte(strings.SplitN(u, "?", 2)[0]), nil)
				if leaks(body) {
					t.Errorf("the public read the confidential marker at %s (%d)", u, r.StatusCode)
				}
				if loc := r.Header.Get("Location"); strings.Contains(strings.ToLower(loc), marker) {
					t.Errorf("%s redirects to %s", u, loc)
				}
			}
			if downloads < 3 {
				t.Errorf("found only %d downloads on /data", downloads)
			}
			// Control: the secretariat does see what was planted.
			tok, err := svc.CreateToken(ctx, service.RoleSecretariat, "control", "")
			must(err)
			seen := 0
			for _, u := range []string{"/api/v1/projects/" + slug, "/api/v1/decisions", "/api/v1/reports/" + itoa(rep.ID),
				"/api/v1/compare?from=gov12-egov-priority&to=gov13-smart-driving"} {
				r := e.do(http.MethodGet, u, http.Header{"Authorization": {"Bearer " + tok}})
				if leaks(r.body) {
					seen++
				}
			}
			if seen < 4 {
				t.Errorf("the secretariat saw the marker in only %d of 4 answers: the planting did not take", seen)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
