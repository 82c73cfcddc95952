package web_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"

	front "github.com/pishran/pishran/internal/faces"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/web"
)

// The national meeting benchmarks measure the council's reads (meetings,
// minutes, decisions, actions) on a copy of a national database, every
// request a different key and an address no one asked for before (so no
// response cache holds it). The database is the one bench/load generates
// (10,000 projects, 2,000 meetings, 50,000 actions), named by
// PISHRAN_MISS_DB; it is copied to a temporary folder first (and migrated
// there), never written. ns/op is then the server's CPU per request under
// one request at a time; cpu-µs/op is the process's CPU over the requests,
// beside the statements and read transactions per request.
//
//	PISHRAN_MISS_DB=/path/p10000.db go test ./web/ -run '^$' -bench 'NationalMeetings' -benchtime 500x
var (
	natOnce      sync.Once
	natErr       error
	natH         http.Handler
	natDB        *store.DB
	natMeetings  []string // public meeting ids
	natDecisions []string // cursors of the pages of 100 decisions, "" first
	natDecIDs    []string // every public decision id (the page's after=)
	natActPages  int      // pages of /actions
	natMeetPages int      // pages of /meetings
)

func nationalMeetingSite(b *testing.B) http.Handler {
	src := testkit.NationalSource(b, "to measure the meeting reads at national scale")
	natOnce.Do(func() { natErr = openNationalMeetings(b, src) })
	if natErr != nil {
		b.Fatal(natErr)
	}
	return natH
}

func openNationalMeetings(b *testing.B, src string) error {
	ctx := context.Background()
	db, err := testkit.OpenNational(ctx, src, "")
	if err != nil {
		return err
	}
	log := slog.New(slog.DiscardHandler)
	svc := service.New(db, log)
	f, err := front.New(svc, log, httpx.Config{}, nil, web.Options{})
	if err != nil {
		return err
	}
	natH, natDB = f.Root, db
	acts, err := svc.PublicActions(ctx, service.ActionQuery{}, 0, 1)
	if err != nil {
		return err
	}
	meets, err := svc.PublicMeetings(ctx, "", 0, 1)
	if err != nil {
		return err
	}
	natActPages, natMeetPages = max(1, (acts.Total+24)/25), max(1, (meets.Total+49)/50) // actionsPerPage, meetingsPerPage
	var page struct {
		Items []struct {
			ID json.RawMessage `json:"id"`
		} `json:"items"`
		NextCursor *string `json:"next_cursor"`
	}
	walk := func(path string, each func(id string), cursorSeen func(c string)) error {
		cursor := ""
		for {
			w := httptest.NewRecorder()
			natH.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path+"&cursor="+url.QueryEscape(cursor), nil))
			page.Items, page.NextCursor = nil, nil
			if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || w.Code != http.StatusOK {
				return &benchErr{path, w.Code}
			}
			if cursorSeen != nil {
				cursorSeen(cursor)
			}
			for _, it := range page.Items {
				var s string
				if json.Unmarshal(it.ID, &s) != nil {
					s = string(it.ID)
				}
				each(s)
			}
			if page.NextCursor == nil {
				return nil
			}
			cursor = *page.NextCursor
		}
	}
	if err := walk("/api/v1/meetings?limit=100", func(id string) { natMeetings = append(natMeetings, id) }, nil); err != nil {
		return err
	}
	if err := walk("/api/v1/decisions?limit=100", func(id string) { natDecIDs = append(natDecIDs, id) },
		func(c string) { natDecisions = append(natDecisions, c) }); err != nil {
		return err
	}
	if len(natMeetings) == 0 || len(natDecIDs) == 0 {
		return &benchErr{"no public meeting or decision in " + src, 0}
	}
	b.Logf("national meetings: %d public meetings, %d decisions in %d pages", len(natMeetings), len(natDecIDs), len(natDecisions))
	return nil
}

type benchErr struct {
	what string
	code int
}

func (e *benchErr) Error() string { return e.what + ": status " + strconv.Itoa(e.code) }

// benchNational asks for path(i) once per iteration and reports the
// process's CPU, statements and read transactions per request.
func benchNational(b *testing.B, path func(i int) string) {
	h := nationalMeetingSite(b) // sets natDB
	testkit.BenchRequests(b, h, natDB, path)
}

func bust(i int) string { return "nat=" + strconv.Itoa(i) }

// BenchmarkNationalMeetings reads the council's routes for random keys.
func BenchmarkNationalMeetings(b *testing.B) {
	nationalMeetingSite(b)
	rng := rand.New(rand.NewPCG(12, 36))
	meeting := func() string { return natMeetings[rng.IntN(len(natMeetings))] }
	routes := []struct {
		name string
		path func(i int) string
	}{
		{"api-meeting", func(i int) string { return "/api/v1/meetings/" + meeting() + "?" + bust(i) }},
		{"api-minutes", func(i int) string { return "/api/v1/meetings/" + meeting() + "/minutes?" + bust(i) }},
		{"api-decisions", func(i int) string {
			return "/api/v1/decisions?limit=100&cursor=" + url.QueryEscape(natDecisions[rng.IntN(len(natDecisions))]) + "&" + bust(i)
		}},
		{"web-decisions", func(i int) string { return "/decisions?after=" + natDecIDs[rng.IntN(len(natDecIDs))] + "&" + bust(i) }},
		{"web-meetings", func(i int) string { return "/meetings?page=" + strconv.Itoa(1+rng.IntN(natMeetPages)) + "&" + bust(i) }},
		{"web-meeting", func(i int) string { return "/meetings/" + meeting() + "?" + bust(i) }},
		{"web-actions", func(i int) string { return "/actions?page=" + strconv.Itoa(1+rng.IntN(natActPages)) + "&" + bust(i) }},
	}
	for _, r := range routes {
		b.Run(r.name, func(b *testing.B) { benchNational(b, r.path) })
	}
}
