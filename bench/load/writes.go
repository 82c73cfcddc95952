package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pishran/pishran/domain"
)

type designations struct {
	programs []string
	jobs     []string // "program/project", each designated at most once
	next     atomic.Int64
	mu       sync.Mutex
	acked    []string
	token    string
}

// designationLoad makes enough fresh draft programs that every
// designation of the run is a real one: a project that passes every rule,
// into a program it is not yet on.
func designationLoad(s *server, token string, doc *domain.Document) (*designations, error) {
	var eligible []string
	for i := range doc.Projects {
		p := &doc.Projects[i]
		if p.Confidentiality == domain.Public && p.Kind == domain.KindService && p.Status == domain.InProgress && len(p.Agencies) >= 2 {
			eligible = append(eligible, p.Slug)
		}
	}
	if len(eligible) == 0 {
		return nil, errors.New("no project can be designated")
	}
	need := max(2, int(flagDuration.Seconds()*4000)/len(eligible)+1)
	d := &designations{token: token}
	stamp := time.Now().Format("150405")
	term := len(doc.Terms)
	for k := range need {
		slug := fmt.Sprintf("bench-%s-%d", stamp, k)
		body := fmt.Sprintf(`{"id":%q,"title":{"fa":"فهرست سنجش %d","en":"Benchmark list %d"},"term":%d,"kind":"smart-government-driving","visibility":"public","status":"draft"}`,
			slug, k, k, term)
		if err := post(s.base+"/api/v1/programs", token, body, 201); err != nil {
			return nil, fmt.Errorf("create program: %w", err)
		}
		d.programs = append(d.programs, slug)
	}
	r := rand.New(rand.NewPCG(7, 7))
	for _, g := range d.programs {
		perm := r.Perm(len(eligible))
		for _, i := range perm {
			d.jobs = append(d.jobs, g+"/"+eligible[i])
		}
	}
	return d, nil
}

func (d *designations) op(w *worker) bool {
	i := d.next.Add(1) - 1
	if int(i) >= len(d.jobs) {
		return false
	}
	prog, proj, _ := strings.Cut(d.jobs[i], "/")
	req, _ := http.NewRequest("POST", w.base+"/api/v1/programs/"+prog+"/members", strings.NewReader(`{"project":"`+proj+`"}`))
	req.Header.Set("Authorization", "Bearer "+d.token)
	req.Header.Set("Content-Type", "application/json")
	if _, _, ok := w.do(req, 201); ok {
		d.mu.Lock()
		d.acked = append(d.acked, d.jobs[i])
		d.mu.Unlock()
	}
	return true
}

// verify reads every benchmark program's members back through the API:
// each acknowledged designation must be there, and active.
func (d *designations) verify(s *server, token string) (string, bool) {
	present := map[string]bool{}
	for _, g := range d.programs {
		cursor := ""
		for {
			var page struct {
				Items []struct {
					Project string `json:"project"`
					Active  bool   `json:"active"`
				} `json:"items"`
				Next *string `json:"next_cursor"`
			}
			u := s.base + "/api/v1/programs/" + g + "/projects?limit=1000"
			if cursor != "" {
				u += "&cursor=" + cursor
			}
			if err := getJSON(u, token, &page); err != nil {
				return "verification failed: " + err.Error(), false
			}
			for _, m := range page.Items {
				if m.Active {
					present[g+"/"+m.Project] = true
				}
			}
			if page.Next == nil {
				break
			}
			cursor = *page.Next
		}
	}
	missing := 0
	for _, k := range d.acked {
		if !present[k] {
			missing++
		}
	}
	note := fmt.Sprintf("%s designations acknowledged; %d missing afterwards", thousands(len(d.acked)), missing)
	logf("designation check: %s", note)
	return note, missing == 0
}

type reports struct {
	tokens []string
	jobs   [][]string // per writer: "project|period"
	pos    []int
	mu     sync.Mutex
	acked  map[int][]int64 // writer → report ids
}

// reportLoad gives each writer an agency and its own (project, period)
// pairs — Jalali months 1379-01 to 1401-12 (2000 to 2023), before any
// generated report — so every report is new.
func reportLoad(s *server, agencies []agencyWork, tokens []string) *reports {
	r := &reports{tokens: tokens, jobs: make([][]string, len(agencies)), pos: make([]int, len(agencies)), acked: map[int][]int64{}}
	for i, a := range agencies {
		for y := 1401; y >= 1379; y-- {
			for m := 12; m >= 1; m-- {
				for _, p := range a.projects {
					r.jobs[i] = append(r.jobs[i], fmt.Sprintf("%s|%04d-%02d", p, y, m))
				}
			}
		}
	}
	return r
}

func (r *reports) op(w *worker) bool {
	if w.id >= len(r.jobs) || r.pos[w.id] >= len(r.jobs[w.id]) {
		return false
	}
	project, period, _ := strings.Cut(r.jobs[w.id][r.pos[w.id]], "|")
	r.pos[w.id]++
	tok := r.tokens[w.id]
	body := `{"project":"` + project + `","period":"` + period + `","narrative":{"fa":"گزارش آزمون بار","en":"load test report"}}`
	req, _ := http.NewRequest("POST", w.base+"/api/v1/reports", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, b, ok := w.do(req, 201)
	if !ok {
		return true
	}
	var created struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(b, &created) != nil || created.ID == 0 {
		w.fail(req, "no report id in the answer")
		return true
	}
	req, _ = http.NewRequest("POST", w.base+"/api/v1/reports/"+strconv.FormatInt(created.ID, 10)+"/submit", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("If-Match", resp.Header.Get("ETag"))
	if _, _, ok := w.do(req, 200); ok {
		r.mu.Lock()
		r.acked[w.id] = append(r.acked[w.id], created.ID)
		r.mu.Unlock()
	}
	return true
}

// verify reads every acknowledged report back, as its agency: it must be
// there and submitted.
func (r *reports) verify(s *server) (string, bool) {
	var (
		missing, total atomic.Int64
		wg             sync.WaitGroup
	)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}, Timeout: 30 * time.Second}
	for wid, ids := range r.acked {
		total.Add(int64(len(ids)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, id := range ids {
				req, _ := http.NewRequest("GET", s.base+"/api/v1/reports/"+strconv.FormatInt(id, 10), nil)
				req.Header.Set("Authorization", "Bearer "+r.tokens[wid])
				resp, err := client.Do(req)
				if err != nil {
					missing.Add(1)
					continue
				}
				var rep struct {
					State string `json:"state"`
				}
				err = json.NewDecoder(resp.Body).Decode(&rep)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 || rep.State != "submitted" {
					missing.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	note := fmt.Sprintf("%s reports created and submitted (2 writes each); %d missing afterwards", thousands(int(total.Load())), missing.Load())
	logf("report check: %s", note)
	return note, missing.Load() == 0
}

func post(u, token, body string, want int) error {
	req, _ := http.NewRequest("POST", u, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("POST %s: %d %s", u, resp.StatusCode, b)
	}
	return nil
}

func getJSON(u, token string, v any) error {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

type agencyWork struct {
	code     string
	projects []string
}

// busiestAgencies are the n agencies on the most projects (lead or
// participant): the report writers, each with enough distinct work.
func busiestAgencies(doc *domain.Document, n int) []agencyWork {
	on := map[string][]string{}
	for i := range doc.Projects {
		for _, pa := range doc.Projects[i].Agencies {
			on[pa.Agency] = append(on[pa.Agency], doc.Projects[i].Slug)
		}
	}
	var out []agencyWork
	for code, ps := range on {
		out = append(out, agencyWork{code, ps})
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].projects) != len(out[j].projects) {
			return len(out[i].projects) > len(out[j].projects)
		}
		return out[i].code < out[j].code
	})
	return out[:min(n, len(out))]
}
