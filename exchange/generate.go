package exchange

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/pishran/pishran/domain"
)

// NationalPerDay is the exchange's national volume: about 8.6 billion
// transactions in 1402 (NIX), some 23.6 million a day.
const NationalPerDay = 23_600_000

// Form is which of the two published shapes the generator writes.
type Form uint8

const (
	FormFull     Form = iota // as a security server's monitoring daemon gives it
	FormOpenData             // the anonymised open-data form
)

// GenConfig describes synthetic telemetry. Everything it draws comes from
// Seed, so the same config writes the same bytes (before compression)
// whatever the machine and its number of cores.
//
// The traffic is made up, not measured: its shapes (a working-day curve,
// heavy-tailed use of services, log-normal latencies, a few failing
// services and a few integrations that go quiet) are plausible choices for
// exercising the import and the status rules, not facts about NIX.
type GenConfig struct {
	Seed uint64
	// Start is when the traffic begins; default 2024-03-10 00:00 Tehran.
	Start time.Time
	// PerDay is the number of messages a day; default NationalPerDay.
	PerDay int64
	// Messages is how many messages to write; default one day's worth.
	// The traffic spans Messages/PerDay days from Start.
	Messages int64
	// Pairs are the declared (or plausible) integrations the traffic runs
	// on. When empty they are drawn from Clients and Services: each client
	// consumes a few services, popular services by many clients.
	Pairs    []Integration
	Clients  []Subsystem
	Services []Service
	Form     Form
	// Gzip compresses the output (as one gzip member per chunk, which any
	// gzip reader takes as one stream) at GzipLevel (default
	// gzip.DefaultCompression, as the gzip tool does).
	Gzip      bool
	GzipLevel int
	// Shares of the mix; a negative value means none, zero the default.
	FailingServices float64 // services failing 40% of their calls; default 0.03 (at least one)
	SilentPairs     float64 // pairs whose traffic stops after the first third of the span; default 0.03 (at least one)
	NeverPairs      float64 // pairs with no traffic at all; default 0.02 (at least one)
	ClientOnly      float64 // pairs whose provider's server is not monitored; default 0.10
	ProducerOnly    float64 // pairs whose client's server is not monitored; default 0.05
	UnknownRate     float64 // messages naming an identity outside Clients and Services; default 0.001
	MalformedRate   float64 // extra malformed records per message; default 0.0001
	DuplicateRate   float64 // records delivered twice; default 0.0005
}

func share(v, def float64) float64 {
	switch {
	case v < 0:
		return 0
	case v == 0:
		return def
	}
	return v
}

// Truth is what the generator wrote, for tests to check an import against.
type Truth struct {
	From, Until time.Time
	Records     int64 // elements written, of every kind
	Messages    int64 // distinct messages (each once, whichever servers logged it)
	Failures    int64
	Malformed   int64 // malformed records written
	Duplicates  int64 // records written a second time
	// UnknownMessages name an identity outside the catalogue; they are not
	// in Pairs.
	UnknownMessages int64
	Pairs           []PairTruth
	Failing         []Service     // services failing 40% of their calls
	Silent          []Integration // pairs with traffic in the first third only
	Never           []Integration // pairs with no traffic
}

// PairTruth is the traffic written for one integration.
type PairTruth struct {
	Integration Integration
	Messages    int64
	Failures    int64
	Logged      Side // SideClient, SideProducer, or 3 for both
}

// genChunk is the number of messages one unit of work writes; fixed, so
// the output does not depend on how the work is shared out.
const genChunk = 4096

// Generate writes synthetic operational-monitoring records to w as
// {"records":[…]} (gzip when cfg.Gzip), in constant memory: the work is
// cut in chunks written in order by all cores, a few chunks in flight.
func Generate(w io.Writer, cfg GenConfig) (*Truth, error) {
	g, err := newGen(cfg)
	if err != nil {
		return nil, err
	}
	chunks := (g.messages + genChunk - 1) / genChunk
	workers := max(1, runtime.GOMAXPROCS(0))
	type result struct {
		b  *bytes.Buffer
		tr *chunkTruth
	}
	slots := make(chan chan result, workers+2)
	stop := make(chan struct{})
	go func() {
		defer close(slots)
		sem := make(chan struct{}, workers)
		for k := int64(0); k < max(chunks, 1); k++ {
			ch := make(chan result, 1)
			select {
			case slots <- ch:
			case <-stop:
				return
			}
			sem <- struct{}{}
			go func() {
				defer func() { <-sem }()
				b, tr := g.chunk(k, k == max(chunks, 1)-1)
				ch <- result{b, tr}
			}()
		}
	}()
	truth := g.truth()
	var werr error
	for ch := range slots {
		res := <-ch
		if werr == nil {
			if _, err := w.Write(res.b.Bytes()); err != nil {
				werr = err
				close(stop)
			}
			g.merge(truth, res.tr)
		}
		g.bufs.Put(res.b)
	}
	if werr != nil {
		return nil, werr
	}
	return truth, nil
}

// gen is the generator's fixed state, shared read-only by the chunks.
type gen struct {
	cfg      GenConfig
	messages int64
	start    int64 // ms
	dayMs    float64
	silentAt int64 // ms: silent pairs stop here
	pairs    []genPair
	services []genService
	alias    alias
	unknownC []Subsystem
	unknownS []Service
	hourCum  [25]float64
	bufs     sync.Pool
	zips     sync.Pool
}

type genService struct {
	svc     Service
	median  float64 // ms
	sigma   float64
	fail    float64
	failing bool
	rest    bool
	addr    string
	ip      string
}

type genPair struct {
	in      Integration
	svc     int
	logged  Side // 1 client, 2 producer, 3 both
	silent  bool
	never   bool
	netMs   int64
	clientS string // client's server address
	clientI string // client's server internal IP
}

// hourWeights is the assumed shape of a day's traffic by Tehran hour: low
// at night, a peak over the morning of a working day.
var hourWeights = [24]float64{1, .7, .5, .4, .4, .5, 1, 2, 4, 6, 7, 7, 6.5, 6, 5, 4, 3.5, 3, 3, 2.8, 2.5, 2, 1.6, 1.2}

func newGen(cfg GenConfig) (*gen, error) {
	if cfg.PerDay <= 0 {
		cfg.PerDay = NationalPerDay
	}
	if cfg.Messages <= 0 {
		cfg.Messages = cfg.PerDay
	}
	if cfg.Start.IsZero() {
		cfg.Start = DayStart(domain.NewDate(2024, 3, 10))
	}
	if cfg.GzipLevel == 0 {
		cfg.GzipLevel = gzip.DefaultCompression
	}
	g := &gen{cfg: cfg, messages: cfg.Messages, start: cfg.Start.UnixMilli(), dayMs: 86_400_000 / float64(cfg.PerDay)}
	g.bufs.New = func() any { return new(bytes.Buffer) }
	span := float64(cfg.Messages) * g.dayMs
	g.silentAt = g.start + int64(span/3)
	var total float64
	for _, w := range hourWeights {
		total += w
	}
	for h, w := range hourWeights {
		g.hourCum[h+1] = g.hourCum[h] + w/total
	}

	rng := rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15))
	pairs := cfg.Pairs
	if len(pairs) == 0 {
		pairs = drawPairs(rng, cfg.Clients, cfg.Services)
	}
	if len(pairs) == 0 {
		return nil, errors.New("exchange: the generator needs pairs, or clients and services")
	}
	svcIdx := map[Service]int{}
	for _, p := range pairs {
		if err := p.Validate(); err != nil {
			return nil, err
		}
		if _, ok := svcIdx[p.Service]; !ok {
			svcIdx[p.Service] = len(g.services)
			gs := genService{
				svc:    p.Service,
				median: math.Exp(math.Log(20) + rng.Float64()*math.Log(800.0/20)),
				sigma:  0.4 + 0.6*rng.Float64(),
				fail:   0.002 + 0.013*rng.Float64(),
				rest:   rng.IntN(3) == 0,
				addr:   "ss-" + strconv.Itoa(len(g.services)%97) + ".provider.example",
				ip:     "10.2." + strconv.Itoa(len(g.services)%250) + ".7",
			}
			g.services = append(g.services, gs)
		}
	}
	// Failing services.
	for _, i := range pick(rng, len(g.services), share(cfg.FailingServices, 0.03), cfg.FailingServices >= 0) {
		g.services[i].failing, g.services[i].fail = true, 0.40
	}
	clientOnly, producerOnly := share(cfg.ClientOnly, 0.10), share(cfg.ProducerOnly, 0.05)
	weights := make([]float64, len(pairs))
	for i, p := range pairs {
		gp := genPair{in: p, svc: svcIdx[p.Service], logged: 3, netMs: 2 + rng.Int64N(18),
			clientS: "ss-" + strconv.Itoa(i%89) + ".client.example", clientI: "10.1." + strconv.Itoa(i%250) + ".5"}
		switch u := rng.Float64(); {
		case u < clientOnly:
			gp.logged = SideClient
		case u < clientOnly+producerOnly:
			gp.logged = SideProducer
		}
		g.pairs = append(g.pairs, gp)
		weights[i] = 1 / math.Pow(float64(1+rng.IntN(len(pairs))), 1.1) // heavy-tailed use
	}
	for _, i := range pick(rng, len(pairs), share(cfg.NeverPairs, 0.02), cfg.NeverPairs >= 0) {
		g.pairs[i].never, weights[i] = true, 0
	}
	for _, i := range pick(rng, len(pairs), share(cfg.SilentPairs, 0.03), cfg.SilentPairs >= 0) {
		if !g.pairs[i].never {
			g.pairs[i].silent = true
		}
	}
	live := false
	for i, p := range g.pairs {
		live = live || (weights[i] > 0 && !p.silent)
	}
	if !live {
		return nil, errors.New("exchange: every pair is set to go silent or have no traffic")
	}
	g.alias = newAlias(weights)
	inst := pairs[0].Client.Instance
	for k := range 4 {
		g.unknownC = append(g.unknownC, Subsystem{Member{inst, "COM", "SYN-UNKNOWN-" + strconv.Itoa(k+1)}, "app"})
		g.unknownS = append(g.unknownS, Service{Subsystem{Member{inst, "GOV", "SYN-UNKNOWN-" + strconv.Itoa(k+11)}, "api"}, "query", "v1"})
	}
	return g, nil
}

// chunkTruth is one chunk's share of the Truth.
type chunkTruth struct {
	records, messages, failures, malformed, dups, unknown int64
	pm, pf                                                []int64 // per pair: messages, failures
}

func (g *gen) truth() *Truth {
	t := &Truth{From: g.cfg.Start, Until: time.UnixMilli(g.start + int64(float64(g.messages)*g.dayMs)).UTC()}
	for _, p := range g.pairs {
		t.Pairs = append(t.Pairs, PairTruth{Integration: p.in, Logged: p.logged})
		if p.silent {
			t.Silent = append(t.Silent, p.in)
		}
		if p.never {
			t.Never = append(t.Never, p.in)
		}
	}
	for _, s := range g.services {
		if s.failing {
			t.Failing = append(t.Failing, s.svc)
		}
	}
	return t
}

func (g *gen) merge(t *Truth, c *chunkTruth) {
	t.Records += c.records
	t.Messages += c.messages
	t.Failures += c.failures
	t.Malformed += c.malformed
	t.Duplicates += c.dups
	t.UnknownMessages += c.unknown
	for i := range c.pm {
		t.Pairs[i].Messages += c.pm[i]
		t.Pairs[i].Failures += c.pf[i]
	}
}

// timeOf is when message j starts: its day, then its place in the day
// along the hourly curve.
func (g *gen) timeOf(j int64, jitter float64) int64 {
	day := j / g.cfg.PerDay
	u := (float64(j%g.cfg.PerDay) + jitter) / float64(g.cfg.PerDay)
	h, _ := slices.BinarySearch(g.hourCum[:], u)
	h = max(0, min(23, h-1))
	frac := (u - g.hourCum[h]) / (g.hourCum[h+1] - g.hourCum[h])
	return g.start + day*86_400_000 + int64((float64(h)+frac)*3_600_000)
}

// chunk writes messages [k·genChunk, (k+1)·genChunk).
func (g *gen) chunk(k int64, last bool) (*bytes.Buffer, *chunkTruth) {
	out := g.bufs.Get().(*bytes.Buffer)
	out.Reset()
	var sink io.Writer = out
	var zw *gzip.Writer
	if g.cfg.Gzip {
		if z, ok := g.zips.Get().(*gzip.Writer); ok {
			z.Reset(out)
			zw = z
		} else {
			zw, _ = gzip.NewWriterLevel(out, g.cfg.GzipLevel)
		}
		sink = zw
	}
	tr := &chunkTruth{pm: make([]int64, len(g.pairs)), pf: make([]int64, len(g.pairs))}
	rng := rand.New(rand.NewPCG(g.cfg.Seed, uint64(k)+1))
	w := recWriter{form: g.cfg.Form, first: k == 0}
	if k == 0 {
		w.b = append(w.b, `{"records":[`...)
	}
	unknownRate := share(g.cfg.UnknownRate, 0.001)
	malformedRate := share(g.cfg.MalformedRate, 0.0001)
	dupRate := share(g.cfg.DuplicateRate, 0.0005)
	from, to := k*genChunk, min((k+1)*genChunk, g.messages)
	for j := from; j < to; j++ {
		t := g.timeOf(j, rng.Float64())
		pi := g.alias.draw(rng)
		for g.pairs[pi].silent && t >= g.silentAt {
			pi = g.alias.draw(rng)
		}
		p := &g.pairs[pi]
		s := &g.services[p.svc]
		m := message{t: t, client: p.in.Client, svc: p.in.Service, logged: p.logged, rest: s.rest, netMs: p.netMs,
			clientAddr: p.clientS, clientIP: p.clientI, serviceAddr: s.addr, serviceIP: s.ip}
		unknown := rng.Float64() < unknownRate
		if unknown {
			if rng.IntN(2) == 0 {
				m.client = g.unknownC[rng.IntN(len(g.unknownC))]
			} else {
				m.svc = g.unknownS[rng.IntN(len(g.unknownS))]
			}
		}
		// What happens: the provider's system takes a log-normal time;
		// the service fails at its rate; the network between the servers
		// fails now and then (only the client's server logs that).
		m.isMs = int64(s.median * math.Exp(s.sigma*rng.NormFloat64()))
		m.failed = rng.Float64() < s.fail
		if p.logged != SideProducer && rng.Float64() < 0.001 {
			m.transport = true
			m.failed = true
			if rng.IntN(2) == 0 {
				m.isMs = 30_000 // timed out
			} else {
				m.isMs = 3 // refused
			}
		}
		m.reqSize = int64(600 * math.Exp(0.5*rng.NormFloat64()))
		m.respSize = int64(2500 * math.Exp(0.9*rng.NormFloat64()))
		m.ids = rng.Uint64()
		m.ids2 = rng.Uint64()
		m.user = rng.Int64N(1_000_000_000)
		m.issue = rng.IntN(4) == 0
		m.represented = rng.IntN(20) == 0

		tr.messages++
		if m.failed {
			tr.failures++
		}
		if unknown {
			tr.unknown++
		} else {
			tr.pm[pi]++
			if m.failed {
				tr.pf[pi]++
			}
		}
		for _, side := range [...]Side{SideClient, SideProducer} {
			if m.logged&side == 0 || (side == SideProducer && m.transport) {
				continue
			}
			n := 1
			if rng.Float64() < dupRate {
				n = 2
				tr.dups++
			}
			for range n {
				w.record(&m, side)
				tr.records++
			}
		}
		if rng.Float64() < malformedRate {
			w.malformed(&m, rng.IntN(6))
			tr.records++
			tr.malformed++
		}
		if len(w.b) >= 64<<10 {
			sink.Write(w.b)
			w.b = w.b[:0]
		}
	}
	if last {
		w.b = append(w.b, "]}\n"...)
	}
	sink.Write(w.b)
	if zw != nil {
		zw.Close()
		g.zips.Put(zw)
	}
	return out, tr
}
