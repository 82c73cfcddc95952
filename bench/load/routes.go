package main

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/synth"
)

// readRoute is a read route and how to pick each request's URL.
type readRoute struct {
	name, path string
	url        func(w *worker) string
}

// readRoutes are the read routes over a registry of the given scale; the
// portal's pages are used when it is mounted, else their API equivalents.
func readRoutes(s *server, g genScale) ([]readRoute, error) {
	doc := synth.Registry(g.config())
	var public []string
	for i := range doc.Projects {
		if doc.Projects[i].Confidentiality == domain.Public {
			public = append(public, doc.Projects[i].Slug)
		}
	}
	cursors := []string{""}
	for k := 100; k < len(doc.Projects); k += 100 {
		cursors = append(cursors, "&cursor="+base64.RawURLEncoding.EncodeToString([]byte(doc.Projects[k-1].Slug)))
	}
	pick := func(w *worker, xs []string) string { return xs[w.rng.IntN(len(xs))] }
	home, page := "/", "/projects/{slug}"
	if code, _ := status(s.base + "/"); code != 200 {
		home = "/api/v1/programs"
	}
	if code, _ := status(s.base + "/projects/" + public[0]); code != 200 {
		page = "/api/v1/projects/{slug}"
	}
	progs := doc.Programs
	from, to := progs[max(0, len(progs)-2)].Slug, progs[len(progs)-1].Slug
	return []readRoute{
		{"public home", home, func(*worker) string { return home }},
		{"project page", page, func(w *worker) string { return strings.Replace(page, "{slug}", pick(w, public), 1) }},
		{"API list of 100", "/api/v1/projects?limit=100", func(w *worker) string { return "/api/v1/projects?limit=100" }},
		{"API list of 100, any page", "/api/v1/projects?limit=100&cursor=…", func(w *worker) string { return "/api/v1/projects?limit=100" + pick(w, cursors) }},
		{"API program list", "/api/v1/programs", func(*worker) string { return "/api/v1/programs" }},
		{"API project read", "/api/v1/projects/{slug}", func(w *worker) string { return "/api/v1/projects/" + pick(w, public) }},
		{"comparison", "/api/v1/compare?from=" + from + "&to=" + to, func(*worker) string { return "/api/v1/compare?from=" + from + "&to=" + to }},
	}, nil
}

func status(u string) (int, int) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, len(b)
}

// runReads starts the server over a copy of d and drives the read routes.
func runReads(bin, tmp string, d dataset, dur time.Duration) ([]routeResult, error) {
	db, err := workingCopy(d, tmp)
	if err != nil {
		return nil, err
	}
	if _, err := settle(bin, db); err != nil {
		return nil, err
	}
	s, err := start(bin, db)
	if err != nil {
		return nil, err
	}
	defer s.stop()
	routes, err := readRoutes(s, d.Scale)
	if err != nil {
		return nil, err
	}
	logf("read routes at %d projects, %s each", d.Scale.Projects, dur)
	var out []routeResult
	for _, rt := range routes {
		out = append(out, drive(s, rt.name, rt.path, dur, *flagConns, func(w *worker) bool { return w.get(rt.url(w)) }))
	}
	return out, nil
}

// runMain is the national run: boot, every route, the writes and their
// check, then the bare route on a second start of the same binary.
func runMain(bin, tmp string, d dataset, res *results) error {
	db, err := workingCopy(d, tmp)
	if err != nil {
		return err
	}
	sec, err := token(bin, db, "--role", "secretariat", "--name", "bench-secretariat")
	if err != nil {
		return err
	}
	doc := synth.Registry(d.Scale.config())
	agencies := busiestAgencies(doc, *flagConns)
	agencyTokens := make([]string, len(agencies))
	for i, a := range agencies {
		if agencyTokens[i], err = token(bin, db, "--role", "agency", "--agency", a.code, "--name", "bench-"+a.code); err != nil {
			return err
		}
	}
	if res.BootFirst, err = settle(bin, db); err != nil {
		return err
	}
	var env []string
	if *flagProfile != "" {
		env = append(env, "PISHRAN_BENCH_PPROF=1")
	}
	s, err := start(bin, db, env...)
	if err != nil {
		return err
	}
	defer s.stop()
	res.Boot = s.boot
	logf("server up in %s (boot to first answer)", s.boot.Round(time.Microsecond))

	routes, err := readRoutes(s, d.Scale)
	if err != nil {
		return err
	}
	_, homeSize := status(s.base + routes[0].path)
	res.HomeSize = homeSize
	res.HomePath = routes[0].path
	res.PagePath = routes[1].path
	logf("read routes at %d projects, %s each; public home %s is %d bytes", d.Scale.Projects, *flagDuration, routes[0].path, homeSize)
	for _, rt := range routes {
		res.Routes = append(res.Routes, drive(s, rt.name, rt.path, *flagDuration, *flagConns,
			func(w *worker) bool { return w.get(rt.url(w)) }))
	}

	// designation: fresh draft programs, distinct projects
	desig, err := designationLoad(s, sec, doc)
	if err != nil {
		return err
	}
	r := drive(s, "designation (write)", "POST /api/v1/programs/{id}/members", *flagDuration, *flagConns, desig.op)
	r.Note, res.Verify = desig.verify(s, sec)
	res.Routes = append(res.Routes, r)

	// report submission: each writer an agency, distinct projects and periods
	reps := reportLoad(s, agencies, agencyTokens)
	r = drive(s, "report submission (write)", "POST /api/v1/reports + /submit", *flagDuration, *flagConns, reps.op)
	note, ok := reps.verify(s)
	r.Note = note
	res.Verify = res.Verify && ok
	res.Routes = append(res.Routes, r)
	res.PeakAll = s.peakRSS()
	s.stop()

	// the machine's limit: the same binary, a fixed body of the home's size
	bare, err := start(bin, db, fmt.Sprintf("PISHRAN_BENCH_BARE=%d", max(1, homeSize)))
	if err != nil {
		return err
	}
	defer bare.stop()
	res.Bare = drive(bare, "bare limit", "/_bench/bare", *flagDuration, *flagConns, func(w *worker) bool { return w.get("/_bench/bare") })
	bare.stop()

	// and, for the list, the limit at its own (larger) size
	listSize := 0
	for _, r := range res.Routes {
		if r.Name == "API list of 100" && r.Requests > 0 {
			listSize = r.Bytes
		}
	}
	if listSize > 0 {
		bare2, err := start(bin, db, fmt.Sprintf("PISHRAN_BENCH_BARE=%d", listSize))
		if err != nil {
			return err
		}
		defer bare2.stop()
		res.BareList = drive(bare2, "bare limit, list size", "/_bench/bare", *flagDuration, *flagConns, func(w *worker) bool { return w.get("/_bench/bare") })
		res.ListSize = listSize
	}
	return nil
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
