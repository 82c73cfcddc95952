package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/synth"
)

// dataset is a generated database and the scale it was made at.
type dataset struct {
	Scale     genScale
	Path      string
	Generated time.Duration // 0: reused from the cache
	Size      int64
}

type genScale struct {
	Projects, Agencies, Meetings, Actions, Audit int
}

// scaleFor keeps the national proportions at any number of projects: an
// agency per ten projects, a meeting per five, five actions and a hundred
// audit entries per project (and, from the generator, 20 reports each).
func scaleFor(projects int) genScale {
	return genScale{Projects: projects, Agencies: max(2, projects/10), Meetings: max(4, projects/5),
		Actions: projects * 5, Audit: projects * 100}
}

func (g genScale) args() []string {
	return []string{"--projects", strconv.Itoa(g.Projects), "--agencies", strconv.Itoa(g.Agencies),
		"--meetings", strconv.Itoa(g.Meetings), "--actions", strconv.Itoa(g.Actions), "--audit", strconv.Itoa(g.Audit)}
}

// config is the synth configuration `pishran generate` uses for g.
func (g genScale) config() synth.Config {
	c := synth.National
	c.Projects, c.Agencies = g.Projects, g.Agencies
	c.Programs = min(c.Programs, c.Projects)
	return c
}

// generatorInputs are the files that decide what a generated database
// holds: the synthetic data, the schema, the generate command, and the
// bulk loads and the import it calls, in the store (the follow-up
// aggregates' files, the bulk loads, the audit log's bulk append) and the
// service. Each pattern must name at least one file: a file renamed without
// this list following would otherwise drop out of the digest unnoticed, and
// a stale database be reused.
var generatorInputs = []string{
	"synth/*.go", "store/migrations/sqlite/*.sql", "cmd/pishran/generate.go",
	"store/bulk.go", "store/milestones.go", "store/reports.go", "store/evidence.go",
	"store/ratings.go", "store/baselines.go", "store/followup_state.go", "store/audit.go",
	"service/bulk.go", "service/export.go",
}

// generatorPrint is a digest of everything that decides what a generated
// database holds, so a cached one is reused only while it still matches.
func generatorPrint() (string, error) {
	files, err := inputFiles(generatorInputs)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		h.Write([]byte(f))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:10], nil
}

// inputFiles returns the files the patterns name, sorted, test files left
// out. A pattern that names no file is an error (filepath.Glob alone
// would skip it in silence).
func inputFiles(patterns []string) ([]string, error) {
	var files []string
	for _, pattern := range patterns {
		m, err := filepath.Glob(pattern)
		if err != nil {
			return nil, err
		}
		m = slices.DeleteFunc(m, func(f string) bool { return strings.HasSuffix(f, "_test.go") })
		if len(m) == 0 {
			return nil, fmt.Errorf("generator digest: %s names no file (renamed? update generatorInputs in bench/load/dataset.go)", pattern)
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	return files, nil
}

// ensureDB returns the cached database of scale g, generating it first if
// it is missing or was made by another version of the generator.
func ensureDB(bin string, g genScale) (dataset, error) {
	fp, err := generatorPrint()
	if err != nil {
		return dataset{}, err
	}
	label := fmt.Sprintf("p%d", g.Projects)
	path := filepath.Join(*flagCache, label+"-"+fp+".db")
	d := dataset{Scale: g, Path: path}
	if st, err := os.Stat(path); err == nil {
		d.Size = st.Size()
		logf("reusing %s", path)
		return d, nil
	}
	stale, _ := filepath.Glob(filepath.Join(*flagCache, label+"-*.db*"))
	for _, f := range stale {
		os.Remove(f)
	}
	part := path + ".part"
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(part + s)
	}
	logf("generating %s (%d projects)", path, g.Projects)
	start := time.Now()
	cmd := exec.Command(bin, append([]string{"generate", "--db", part}, g.args()...)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return d, fmt.Errorf("generate: %w", err)
	}
	d.Generated = time.Since(start)
	if err := os.Rename(part, path); err != nil {
		return d, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return d, err
	}
	d.Size = st.Size()
	return d, nil
}

// workingCopy copies a cached database, so the run's writes never reach
// the cache and every run starts from the same data.
func workingCopy(d dataset, dir string) (string, error) {
	dst := filepath.Join(dir, "work.db")
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(dst + s)
	}
	in, err := os.Open(d.Path)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return "", err
	}
	return dst, out.Close()
}
