package scenario

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/reference"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/synth"
)

// dataset is one shared, loaded database (Dataset).
type dataset struct {
	db   *store.DB
	svc  *service.Service
	mu   sync.Mutex
	done map[string]error // Once's work, by key
}

var (
	datasetsMu  sync.Mutex
	datasets    = map[string]*dataset{}
	datasetsDir string
)

func shared(t testing.TB, e testkit.Engine, c config) *Env {
	t.Helper()
	if e.Name != testkit.SQLite.Name {
		t.Fatalf("scenario.Dataset(%q) is shared through a SQLite file; engine %s asked for", c.dataset, e.Name)
	}
	if c.reference || c.at != nil {
		t.Fatalf("scenario.Dataset(%q) is shared: Reference and At would change it for every benchmark", c.dataset)
	}
	ds := loadDataset(t, c.dataset)
	return &Env{T: t, Ctx: context.Background(), Engine: e, DB: ds.db, Svc: ds.svc, Log: &testkit.Log{},
		sessions: map[string]string{}, ds: ds}
}

func loadDataset(t testing.TB, name string) *dataset {
	t.Helper()
	datasetsMu.Lock()
	defer datasetsMu.Unlock()
	if ds, ok := datasets[name]; ok {
		return ds
	}
	var doc *domain.Document
	switch name {
	case "reference":
		var err error
		if doc, err = reference.Document(); err != nil {
			t.Fatal(err)
		}
	case "national":
		doc = synth.Registry(synth.National)
	default:
		t.Fatalf("scenario.Dataset(%q): no such data set (reference, national)", name)
	}
	if datasetsDir == "" {
		d, err := os.MkdirTemp("", "pishran-bench-")
		if err != nil {
			t.Fatal(err)
		}
		datasetsDir = d
	}
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(datasetsDir, name+".db"))
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(db, slog.New(slog.DiscardHandler))
	if err := svc.Import(ctx, service.System, doc); err != nil {
		t.Fatal(err)
	}
	ds := &dataset{db: db, svc: svc, done: map[string]error{}}
	datasets[name] = ds
	return ds
}

// Once runs fn the first time a key is asked for on a shared data set (a
// follow-up or meetings loaded on top of it for some benchmarks), and
// answers its error every time. On an Env of its own it just runs fn.
func (env *Env) Once(key string, fn func(env *Env) error) error {
	if env.ds == nil {
		return fn(env)
	}
	env.ds.mu.Lock()
	defer env.ds.mu.Unlock()
	if err, ok := env.ds.done[key]; ok {
		return err
	}
	err := fn(env)
	env.ds.done[key] = err
	return err
}

// CloseDatasets closes the shared data sets and removes their files; a test
// binary whose benchmarks use Dataset calls it from TestMain after m.Run.
func CloseDatasets() {
	datasetsMu.Lock()
	defer datasetsMu.Unlock()
	for name, ds := range datasets {
		ds.db.Close()
		delete(datasets, name)
	}
	if datasetsDir != "" {
		os.RemoveAll(datasetsDir)
		datasetsDir = ""
	}
}
