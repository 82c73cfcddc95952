package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/synth"
)

// genScale is everything `pishran generate` makes, by count.
type genScale struct {
	synth.Config
	Meetings int
	Actions  int
	Audit    int // audit entries in all, the loads' own entries included
}

// genScales are the named scales. National is the national portfolio the
// load benchmark runs against; small is for tests and quick looks.
var genScales = map[string]genScale{
	"national": {Config: synth.National, Meetings: synth.NationalMeetings, Actions: synth.NationalActions, Audit: synth.NationalAudit},
	"small":    {Config: synth.Small, Meetings: 40, Actions: 1000, Audit: 20000},
}

// auditBatch is how many synthetic audit entries go in one transaction.
const auditBatch = 20000

func cmdGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "telemetry" { // exchange telemetry, not a registry (cmd/pishran/exchange.go)
		return cmdGenerateTelemetry(ctx, args[1:], stdout, stderr)
	}
	fs := newFlags("generate", "generate [--scale national|small] [--projects N …] [--db DB]", stderr)
	scaleName := fs.String("scale", "national", "national (1,000 agencies, 10,000 projects, 200,000 reports, 2,000 meetings, 50,000 actions, 1,000,000 audit entries) or small")
	agencies := fs.Int("agencies", 0, "agencies (0: the scale's)")
	projects := fs.Int("projects", 0, "projects; each gets 20 monthly progress reports (0: the scale's)")
	meetings := fs.Int("meetings", 0, "meetings (0: the scale's)")
	actions := fs.Int("actions", 0, "actions given at the meetings (0: the scale's)")
	audit := fs.Int("audit", 0, "audit log entries in all (0: the scale's)")
	seed := fs.Uint64("seed", 0, "random seed (0: the scale's)")
	dsn := dbFlag(fs)
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("generate takes no arguments, got %q", rest)
	}
	sc, ok := genScales[*scaleName]
	if !ok {
		return domain.Invalid("scale", "مقیاس باید national یا small باشد", "--scale must be national or small")
	}
	for _, o := range []struct {
		name string
		v    int
		to   *int
		min  int
	}{{"agencies", *agencies, &sc.Agencies, 2}, {"projects", *projects, &sc.Projects, 1}, {"meetings", *meetings, &sc.Meetings, 0},
		{"actions", *actions, &sc.Actions, 0}, {"audit", *audit, &sc.Audit, 0}} {
		if o.v < 0 || (o.v > 0 && o.v < o.min) {
			return domain.Invalid(o.name, "--"+o.name+" باید دست‌کم "+strconv.Itoa(o.min)+" باشد", "--"+o.name+" must be at least "+strconv.Itoa(o.min))
		}
		if o.v > 0 {
			*o.to = o.v
		}
	}
	if *seed != 0 {
		sc.Seed = *seed
	}
	sc.Programs = min(sc.Programs, sc.Projects)
	return generate(ctx, *dsn, sc, stdout, stderr)
}

// generate writes the synthetic registry of scale sc into the database dsn,
// which must be blank. The database's clock is set to synth.AuditUntil for
// the load, so the same scale always gives the same records, stamps and
// audit chain.
func generate(ctx context.Context, dsn string, sc genScale, stdout, stderr io.Writer) error {
	start := time.Now()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := service.New(db, newLogger(io.Discard))
	blank, err := svc.IsBlank(ctx)
	if err != nil {
		return err
	}
	if !blank {
		return domain.Conflict("db", "پایگاه داده خالی نیست؛ generate فقط در پایگاه خالی می‌نویسد",
			"the database is not empty; generate writes only into an empty database (use a new file or schema)")
	}
	db.SetClock(func() time.Time { return synth.AuditUntil })

	doc := synth.Registry(sc.Config)
	fu := synth.ProgressOf(doc, sc.Seed)
	ms := synth.MeetingsOf(doc, sc.Seed, sc.Meetings, sc.Actions)
	// The loads write entries of their own: one each, and the seals of
	// what they load (service.BulkAuditEntries).
	loadEntries := service.BulkAuditEntries(doc, fu, ms.Series, ms.Meetings, ms.Actions)
	history := synth.NewAuditHistory(doc, fu, ms, max(0, sc.Audit-loadEntries), sc.Seed)

	registryUnits := len(doc.Agencies) + len(doc.Laws) + len(doc.Projects) + len(doc.Programs) + len(doc.Events)
	bar := newProgress(stderr, []phase{
		{name: "audit history", unit: "entries", total: history.Len()},
		{name: "registry", unit: "records", total: registryUnits},
		{name: "follow-up", unit: "reports", total: len(fu.Reports)},
		{name: "meetings", unit: "actions", total: len(ms.Actions)},
	})
	defer bar.stop()
	fmt.Fprintf(stderr, "generating into %s (%s)\n", redact(dsn), db.Engine())

	// The history comes first: it tells of the years before the records
	// were loaded, so the log reads in time order.
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []*domain.AuditEntry, 2)
	go func() {
		defer close(batches)
		for from := 0; from < history.Len(); from += auditBatch {
			b := make([]*domain.AuditEntry, 0, min(auditBatch, history.Len()-from))
			for i := from; i < from+cap(b); i++ {
				r := history.Entry(i)
				b = append(b, &domain.AuditEntry{At: r.At, Actor: r.Actor, Origin: r.Origin, Action: r.Action, Kind: r.Kind,
					Record: r.Record, Before: r.Before, After: r.After})
			}
			select {
			case batches <- b:
			case <-gctx.Done():
				return
			}
		}
	}()
	bar.begin(0)
	for b := range batches {
		if err := svc.AppendAuditHistory(ctx, service.System, b); err != nil {
			return fmt.Errorf("audit history: %w", err)
		}
		bar.add(len(b))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	bar.end()

	bar.begin(1)
	if err := svc.Import(ctx, service.System, doc); err != nil {
		return fmt.Errorf("registry: %w", err)
	}
	bar.end()
	bar.begin(2)
	if err := svc.LoadFollowUp(ctx, service.System, fu); err != nil {
		return fmt.Errorf("follow-up: %w", err)
	}
	bar.end()
	bar.begin(3)
	if err := svc.LoadMeetings(ctx, service.System, ms.Series, ms.Meetings, ms.Actions); err != nil {
		return fmt.Errorf("meetings: %w", err)
	}
	bar.end()
	bar.stop()
	fmt.Fprintf(stdout, "Generated in %s: %s agencies, %s projects, %s programs, %s progress reports, %s meetings, %s actions, %s audit entries.\n",
		time.Since(start).Round(100*time.Millisecond), thousands(len(doc.Agencies)), thousands(len(doc.Projects)),
		thousands(len(doc.Programs)), thousands(len(fu.Reports)), thousands(len(ms.Meetings)), thousands(len(ms.Actions)),
		thousands(history.Len()+loadEntries))
	return nil
}

// redact hides a password in a database URL.
func redact(dsn string) string {
	if !store.IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "a PostgreSQL database"
	}
	return u.Redacted()
}

// ---- progress ----

type phase struct {
	name, unit string
	total      int
	took       time.Duration
}

// progress draws a bar of the whole generation on a terminal, redrawn in
// place four times a second, with the current phase's count and rate. On
// anything else (a log, a test) it writes one line per finished phase.
type progress struct {
	w      io.Writer
	tty    bool
	phases []phase
	all    int

	mu      sync.Mutex
	cur     int
	began   time.Time
	start   time.Time
	done    atomic.Int64 // units of the current phase done
	before  int          // units of the finished phases
	quit    chan struct{}
	stopped sync.Once
	wg      sync.WaitGroup
}

func newProgress(w io.Writer, phases []phase) *progress {
	p := &progress{w: w, phases: phases, cur: -1, start: time.Now(), quit: make(chan struct{})}
	for _, ph := range phases {
		p.all += ph.total
	}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	if p.tty {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			t := time.NewTicker(250 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					p.draw(false)
				case <-p.quit:
					return
				}
			}
		}()
	}
	return p
}

func (p *progress) begin(i int) {
	p.mu.Lock()
	p.cur, p.began = i, time.Now()
	p.done.Store(0)
	p.mu.Unlock()
}

func (p *progress) add(n int) { p.done.Add(int64(n)) }

func (p *progress) end() {
	p.mu.Lock()
	ph := &p.phases[p.cur]
	ph.took = time.Since(p.began)
	p.done.Store(int64(ph.total))
	p.mu.Unlock()
	p.draw(true)
	p.mu.Lock()
	p.before += ph.total
	p.done.Store(0)
	p.cur = -1
	p.mu.Unlock()
}

// draw renders the bar; final ends the line (a finished phase).
func (p *progress) draw(final bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur < 0 {
		return
	}
	ph := p.phases[p.cur]
	done := int(p.done.Load())
	elapsed := time.Since(p.began)
	if final {
		elapsed = ph.took
	}
	frac := 1.0
	if p.all > 0 {
		frac = float64(p.before+done) / float64(p.all)
	}
	const width = 30
	n := int(frac * width)
	rate := "…"
	if s := elapsed.Seconds(); s > 0 && done > 0 {
		rate = thousands(int(float64(done)/s)) + "/s"
	}
	line := fmt.Sprintf("[%s%s] %3.0f%%  %-13s %s/%s %s  %s  (%s in all)", strings.Repeat("#", n), strings.Repeat("-", width-n),
		frac*100, ph.name, thousands(done), thousands(ph.total), ph.unit, rate, time.Since(p.start).Round(100*time.Millisecond))
	switch {
	case p.tty && final:
		fmt.Fprintf(p.w, "\r%s\033[K\n", line)
	case p.tty:
		fmt.Fprintf(p.w, "\r%s\033[K", line)
	case final:
		fmt.Fprintln(p.w, line)
	}
}

// stop ends the redrawing; a phase cut short (an error) keeps its line.
func (p *progress) stop() {
	p.stopped.Do(func() {
		close(p.quit)
		p.wg.Wait()
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.tty && p.cur >= 0 {
			fmt.Fprintln(p.w)
		}
	})
}

// thousands writes n with comma separators: 1,000,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
