package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"
)

// readRoute is a read route: the request targets it picks from at random
// (one: a hot route, every request the same address).
type readRoute struct {
	Name  string
	Path  string // the pattern, as shown
	Paths []string
	Miss  bool // defeat the address-keyed caches (see load.Bust)
	// Job marks the routes measured in the job window too.
	Job bool
}

// keys are what the registry holds, as an anonymous reader finds it
// through the API: the benchmark relies on nothing but HTTP routes.
type keys struct {
	projects     []string // public project slugs
	listCursors  []string // next_cursor of each page of /api/v1/projects?limit=100
	programs     []string
	programPages []string // the portal's program pages and their members' pages
	agencies     []string
	meetings     []string
	decisions    []int64
	decCursors   []string // next_cursor of each page of /api/v1/decisions?limit=100
	verifyCodes  []string
}

var client = &http.Client{Timeout: 60 * time.Second}

// get fetches u and returns its status and body.
func get(u string) (int, []byte, error) {
	resp, err := client.Get(u)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func status(u string) (int, int) {
	code, b, _ := get(u)
	return code, len(b)
}

// pages walks a paged API list to its end (at most max pages) and
// returns its items and the cursor of every page after the first.
func pages(base, path string, maxPages int) ([]map[string]any, []string, error) {
	var items []map[string]any
	var cursors []string
	cursor := ""
	for range maxPages {
		u := base + path
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		code, b, err := get(u)
		if err != nil {
			return nil, nil, err
		}
		if code != 200 {
			return items, cursors, fmt.Errorf("GET %s: %d", u, code)
		}
		var page struct {
			Items      []map[string]any `json:"items"`
			NextCursor *string          `json:"next_cursor"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			return nil, nil, fmt.Errorf("GET %s: %v", u, err)
		}
		items = append(items, page.Items...)
		if page.NextCursor == nil || *page.NextCursor == "" {
			break
		}
		cursor = *page.NextCursor
		cursors = append(cursors, cursor)
	}
	return items, cursors, nil
}

func strs(items []map[string]any, field string) []string {
	var out []string
	for _, it := range items {
		if s, ok := it[field].(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

var nextMembers = regexp.MustCompile(`href="(/programs/[^"?#]+\?after=[^"#]+)`)

// discover reads the registry's keys through the API and the portal.
func discover(base string) (*keys, error) {
	k := &keys{}
	items, cursors, err := pages(base, "/api/v1/projects?limit=100", 100000)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if c, _ := it["confidentiality"].(string); c == "" || c == "public" {
			if s, ok := it["slug"].(string); ok {
				k.projects = append(k.projects, s)
			}
		}
	}
	if len(k.projects) == 0 {
		return nil, fmt.Errorf("no public project in the registry")
	}
	k.listCursors = cursors
	if items, _, err = pages(base, "/api/v1/programs?limit=100", 100); err == nil {
		k.programs = strs(items, "id")
	}
	if items, _, err = pages(base, "/api/v1/agencies?limit=100", 1000); err == nil {
		k.agencies = strs(items, "code")
	}
	if items, _, err = pages(base, "/api/v1/meetings?limit=100", 1000); err == nil {
		k.meetings = strs(items, "id")
	}
	if items, k.decCursors, err = pages(base, "/api/v1/decisions?limit=100", 1000); err == nil {
		for _, it := range items {
			if id, ok := it["id"].(float64); ok {
				k.decisions = append(k.decisions, int64(id))
			}
		}
		k.verifyCodes = strs(items, "verification_code")
	}
	// the portal's program pages, each followed through its members' pages
	for _, p := range k.programs {
		next := "/programs/" + url.PathEscape(p)
		for range 40 {
			code, b, err := get(base + next)
			if err != nil || code != 200 {
				break
			}
			k.programPages = append(k.programPages, next)
			m := nextMembers.FindSubmatch(b)
			if m == nil {
				break
			}
			next = string(m[1])
		}
	}
	return k, nil
}

// readRoutes are the read routes over the registry's keys: each random
// route asks for a different key at each request, from all there are;
// the hot ones (the same address each time) stay for comparison. The
// portal's pages are used when it is mounted.
func readRoutes(base string, k *keys, withMiss bool) []readRoute {
	pre := func(prefix string, xs []string, suffix string) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = prefix + url.PathEscape(x) + suffix
		}
		return out
	}
	listPages := []string{"/api/v1/projects?limit=100"}
	for _, c := range k.listCursors {
		listPages = append(listPages, "/api/v1/projects?limit=100&cursor="+url.QueryEscape(c))
	}
	decPages := []string{"/api/v1/decisions?limit=100"}
	for _, c := range k.decCursors {
		decPages = append(decPages, "/api/v1/decisions?limit=100&cursor="+url.QueryEscape(c))
	}
	webDec := []string{"/decisions"}
	for _, id := range k.decisions {
		webDec = append(webDec, "/decisions?after="+strconv.FormatInt(id, 10))
	}
	hot := k.projects[0]
	rs := []readRoute{
		{Name: "public home", Path: "/", Paths: []string{"/"}, Job: true},
		{Name: "project page, hot", Path: "/projects/" + hot, Paths: []string{"/projects/" + hot}},
		{Name: "project page", Path: "/projects/{slug}", Paths: pre("/projects/", k.projects, ""), Job: true},
		{Name: "program page", Path: "/programs/{id}[?after=…]", Paths: k.programPages},
		{Name: "decisions page", Path: "/decisions?after={id}", Paths: webDec},
		{Name: "decision verification", Path: "/verify/{code}", Paths: pre("/verify/", k.verifyCodes, "")},
		{Name: "API project read, hot", Path: "/api/v1/projects/" + hot, Paths: []string{"/api/v1/projects/" + hot}},
		{Name: "API project read", Path: "/api/v1/projects/{slug}", Paths: pre("/api/v1/projects/", k.projects, "")},
		{Name: "API project health", Path: "/api/v1/projects/{slug}/health", Paths: pre("/api/v1/projects/", k.projects, "/health")},
		{Name: "API list of 100, first page", Path: "/api/v1/projects?limit=100", Paths: listPages[:1]},
		{Name: "API list of 100, any page", Path: "/api/v1/projects?limit=100&cursor=…", Paths: listPages},
		{Name: "API program list", Path: "/api/v1/programs", Paths: []string{"/api/v1/programs"}},
		{Name: "API program's projects", Path: "/api/v1/programs/{id}/projects?limit=100", Paths: pre("/api/v1/programs/", k.programs, "/projects?limit=100")},
		{Name: "API agency read", Path: "/api/v1/agencies/{code}", Paths: pre("/api/v1/agencies/", k.agencies, "")},
		{Name: "API agency's projects", Path: "/api/v1/projects?agency={code}&limit=100", Paths: pre("/api/v1/projects?limit=100&agency=", k.agencies, "")},
		{Name: "API agency's status", Path: "/api/v1/status?agency={code}", Paths: pre("/api/v1/status?agency=", k.agencies, "")},
		{Name: "API program read", Path: "/api/v1/programs/{id}", Paths: pre("/api/v1/programs/", k.programs, "")},
		{Name: "API meeting read", Path: "/api/v1/meetings/{id}", Paths: pre("/api/v1/meetings/", k.meetings, "")},
		{Name: "API meeting minutes", Path: "/api/v1/meetings/{id}/minutes", Paths: pre("/api/v1/meetings/", k.meetings, "/minutes")},
		{Name: "API decisions, any page", Path: "/api/v1/decisions?limit=100&cursor=…", Paths: decPages},
	}
	if len(k.programs) >= 2 {
		from, to := k.programs[len(k.programs)-2], k.programs[len(k.programs)-1]
		c := "/api/v1/compare?from=" + url.QueryEscape(from) + "&to=" + url.QueryEscape(to)
		rs = append(rs, readRoute{Name: "API comparison, hot", Path: c, Paths: []string{c}})
	}
	if withMiss {
		for _, name := range []string{"project page", "program page", "API project read", "API list of 100, any page"} {
			for _, r := range rs {
				if r.Name == name {
					r.Name += " (miss)"
					r.Miss, r.Job = true, false
					rs = append(rs, r)
				}
			}
		}
	}
	return rs
}

// usable keeps the routes whose middle target answers 200 (a cache-miss
// variant: with the busting parameter), and says why the others are left
// out.
func usable(base string, rs []readRoute) (out []readRoute, leftOut []string) {
	for _, r := range rs {
		if len(r.Paths) == 0 {
			leftOut = append(leftOut, r.Name+": the registry, as the API shows it to the public, has no key for it")
			continue
		}
		u := r.Paths[len(r.Paths)/2]
		if r.Miss {
			u = bustPrefix(u) + "probe"
		}
		if code, _ := status(base + u); code != 200 {
			leftOut = append(leftOut, fmt.Sprintf("%s: GET %s answers %d", r.Name, u, code))
			continue
		}
		out = append(out, r)
	}
	for _, l := range leftOut {
		logf("route left out: %s", l)
	}
	return out, leftOut
}

// randomRoutes are the routes that pick a key per request and do not
// defeat the caches: the ones the growth table follows.
func randomRoutes(rs []readRoute) []readRoute {
	var out []readRoute
	for _, r := range rs {
		if len(r.Paths) > 1 && !r.Miss {
			out = append(out, r)
		}
	}
	return out
}
