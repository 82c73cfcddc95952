package exchange

import (
	"bytes"
	"compress/gzip"
	"encoding/hex"
	"errors"
	"fmt"
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

// pick chooses round(share·n) distinct indexes (at least one when atLeast
// and share > 0).
func pick(rng *rand.Rand, n int, share float64, atLeast bool) []int {
	k := int(math.Round(share * float64(n)))
	if k == 0 && atLeast && share > 0 && n > 1 {
		k = 1
	}
	perm := rng.Perm(n)
	return perm[:min(k, n)]
}

// drawPairs makes each client consume 1 to 8 services, popular ones more
// often (the civil registry's inquiry is called by everyone), never its
// own subsystem's.
func drawPairs(rng *rand.Rand, clients []Subsystem, services []Service) []Integration {
	if len(clients) == 0 || len(services) == 0 {
		return nil
	}
	sw := make([]float64, len(services))
	for i := range sw {
		sw[i] = 1 / math.Pow(float64(i+1), 0.8)
	}
	a := newAlias(sw)
	var out []Integration
	seen := map[Integration]bool{}
	for _, c := range clients {
		n := 1 + rng.IntN(8)
		for range n * 2 {
			if n == 0 {
				break
			}
			s := services[a.draw(rng)]
			in := Integration{c, s}
			if s.Provider == c || seen[in] {
				continue
			}
			seen[in] = true
			out = append(out, in)
			n--
		}
	}
	return out
}

// alias is Walker's alias table: draws an index by weight in constant time.
type alias struct {
	prob  []float64
	other []int
}

func newAlias(w []float64) alias {
	n := len(w)
	var sum float64
	for _, x := range w {
		sum += x
	}
	a := alias{prob: make([]float64, n), other: make([]int, n)}
	scaled := make([]float64, n)
	var small, large []int
	for i, x := range w {
		scaled[i] = x * float64(n) / sum
		if scaled[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		a.prob[s], a.other[s] = scaled[s], l
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, i := range append(small, large...) {
		a.prob[i], a.other[i] = 1, i
	}
	return a
}

func (a alias) draw(rng *rand.Rand) int {
	i := rng.IntN(len(a.prob))
	if rng.Float64() < a.prob[i] {
		return i
	}
	return a.other[i]
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

// message is one synthetic exchange.
type message struct {
	t                    int64
	client               Subsystem
	svc                  Service
	logged               Side
	rest                 bool
	netMs, isMs          int64
	failed, transport    bool
	reqSize, respSize    int64
	ids, ids2            uint64
	user                 int64
	issue, represented   bool
	clientAddr, clientIP string
	serviceAddr          string
	serviceIP            string
}

// recWriter appends records as JSON.
type recWriter struct {
	b     []byte
	form  Form
	first bool
}

func (w *recWriter) sep() {
	if w.first {
		w.first = false
		return
	}
	w.b = append(w.b, ",\n"...)
}

func (w *recWriter) str(name, v string) {
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, `":`...)
	w.b = strconv.AppendQuote(w.b, v)
	w.b = append(w.b, ',')
}

func (w *recWriter) num(name string, v int64) {
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, `":`...)
	w.b = strconv.AppendInt(w.b, v, 10)
	w.b = append(w.b, ',')
}

func (w *recWriter) uuid(name string, a, b uint64) {
	var raw [16]byte
	for i := range 8 {
		raw[i], raw[8+i] = byte(a>>(8*i)), byte(b>>(8*i))
	}
	var h [36]byte
	hex.Encode(h[0:8], raw[0:4])
	h[8] = '-'
	hex.Encode(h[9:13], raw[4:6])
	h[13] = '-'
	hex.Encode(h[14:18], raw[6:8])
	h[18] = '-'
	hex.Encode(h[19:23], raw[8:10])
	h[23] = '-'
	hex.Encode(h[24:36], raw[10:16])
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, `":"`...)
	w.b = append(w.b, h[:]...)
	w.b = append(w.b, `",`...)
}

// record writes the log of m by one side's server, with every field of the
// protocol's list. Personal and sensitive fields carry synthetic values.
func (w *recWriter) record(m *message, side Side) {
	w.sep()
	w.b = append(w.b, '{')
	// The four points: the client's server brackets the provider's.
	var in, out, rin, rout int64
	if side == SideClient {
		in = m.t
		out = in + 2
		if m.transport {
			rin, rout = 0, out+m.isMs
		} else {
			rin = out + m.netMs + 1 + m.isMs + 1 + m.netMs
			rout = rin + 2
		}
	} else {
		in = m.t + 2 + m.netMs
		out = in + 1
		rin = out + m.isMs
		rout = rin + 1
	}
	full := w.form == FormFull
	if full {
		w.num("monitoringDataTs", rout/1000+1)
		ip := m.clientIP
		if side == SideProducer {
			ip = m.serviceIP
		}
		w.str("securityServerInternalIp", ip)
	}
	if side == SideClient {
		w.str("securityServerType", "Client")
	} else {
		w.str("securityServerType", "Producer")
	}
	if full {
		w.num("requestInTs", in)
	} else {
		hour := in - in%3_600_000
		w.num("requestInTs", hour)
		w.str("requestInDate", time.UnixMilli(hour).UTC().Format("2006-01-02"))
	}
	w.num("requestOutTs", out)
	if rin != 0 {
		w.num("responseInTs", rin)
	}
	w.num("responseOutTs", rout)
	w.str("clientXRoadInstance", m.client.Instance)
	w.str("clientMemberClass", m.client.Class)
	w.str("clientMemberCode", m.client.Member.Code)
	if m.client.Code != "" {
		w.str("clientSubsystemCode", m.client.Code)
	}
	w.str("serviceXRoadInstance", m.svc.Provider.Instance)
	w.str("serviceMemberClass", m.svc.Provider.Class)
	w.str("serviceMemberCode", m.svc.Provider.Member.Code)
	if m.svc.Provider.Code != "" {
		w.str("serviceSubsystemCode", m.svc.Provider.Code)
	}
	w.str("serviceCode", m.svc.Code)
	if m.svc.Version != "" {
		w.str("serviceVersion", m.svc.Version)
	}
	if m.represented {
		w.str("representedPartyClass", "COM")
		w.str("representedPartyCode", "synthetic-party-"+strconv.FormatUint(m.ids2%100000, 10))
	}
	w.uuid("messageId", m.ids2, m.ids)
	if full {
		w.str("messageUserId", "synthetic-user-"+strconv.FormatInt(m.user, 10))
		if m.issue {
			w.str("messageIssue", "synthetic-issue-"+strconv.FormatInt(m.user%100000, 10))
		}
	}
	if m.rest {
		w.str("restMethod", "GET")
		w.str("restPath", "/"+m.svc.Code+"/synthetic-"+strconv.FormatInt(m.user%1000, 10))
		status := int64(200)
		if m.failed && !m.transport {
			status = 500
		}
		if !m.transport {
			w.num("statusCode", status)
		}
	} else {
		w.str("messageProtocolVersion", "4.0")
	}
	w.str("clientSecurityServerAddress", m.clientAddr)
	w.str("serviceSecurityServerAddress", m.serviceAddr)
	w.num("requestSize", m.reqSize)
	w.num("requestMimeSize", m.reqSize+180)
	w.num("requestAttachmentCount", 0)
	if !m.transport {
		w.num("responseSize", m.respSize)
		w.num("responseMimeSize", m.respSize+180)
		w.num("responseAttachmentCount", 0)
	}
	if m.failed {
		w.b = append(w.b, `"succeeded":false,`...)
		switch {
		case m.transport:
			w.str("faultCode", "Server.ClientProxy.NetworkError")
			w.str("faultString", "synthetic network failure")
		default:
			w.str("faultCode", "Server.ServerProxy.ServiceFailed")
			w.str("faultString", "synthetic service failure")
		}
	} else {
		w.b = append(w.b, `"succeeded":true,`...)
	}
	if m.rest {
		w.str("serviceType", "REST")
	} else {
		w.str("serviceType", "WSDL")
	}
	w.uuid("xRequestId", m.ids, m.ids2)
	w.b = append(w.b, `"xRoadVersion":"7"}`...)
}

// malformed writes a record that is valid JSON but not a good record, of
// one of six kinds (each a problem the reader reports).
func (w *recWriter) malformed(m *message, kind int) {
	w.sep()
	base := fmt.Sprintf(`"clientXRoadInstance":%q,"clientMemberClass":%q,"serviceXRoadInstance":%q,"serviceMemberClass":%q,"serviceMemberCode":%q,"serviceCode":%q`,
		m.client.Instance, m.client.Class, m.svc.Provider.Instance, m.svc.Provider.Class, m.svc.Provider.Member.Code, m.svc.Code)
	switch kind {
	case 0: // clientMemberCode missing
		w.b = fmt.Appendf(w.b, `{"securityServerType":"Client","requestInTs":%d,%s,"succeeded":true}`, m.t, base)
	case 1: // requestInTs in seconds
		w.b = fmt.Appendf(w.b, `{"securityServerType":"Client","requestInTs":%d,"clientMemberCode":%q,%s,"succeeded":true}`, m.t/1000, m.client.Member.Code, base)
	case 2: // succeeded as a string
		w.b = fmt.Appendf(w.b, `{"securityServerType":"Client","requestInTs":%d,"clientMemberCode":%q,%s,"succeeded":"yes"}`, m.t, m.client.Member.Code, base)
	case 3: // unknown server type
		w.b = fmt.Appendf(w.b, `{"securityServerType":"Gateway","requestInTs":%d,"clientMemberCode":%q,%s,"succeeded":true}`, m.t, m.client.Member.Code, base)
	case 4: // not an object
		w.b = append(w.b, "null"...)
	default: // an identifier with a separator in it
		w.b = fmt.Appendf(w.b, `{"securityServerType":"Client","requestInTs":%d,"clientMemberCode":"bad/code",%s,"succeeded":true}`, m.t, base)
	}
}

// SyntheticCatalogue makes n synthetic members (IR/GOV/SYN-0001 …), each
// with one to three subsystems, and one to four services on half of the
// subsystems: a stand-in for the registry's agencies when none is given.
func SyntheticCatalogue(n int, seed uint64) (clients []Subsystem, services []Service) {
	ms := make([]Member, n)
	for i := range ms {
		ms[i] = Member{"IR", "GOV", fmt.Sprintf("SYN-%04d", i+1)}
	}
	return Catalogue(ms, seed)
}

// Catalogue gives members (the registry's agencies, mapped to exchange
// identities) subsystems and services with synthetic codes: every
// subsystem is a client, half of them also provide one to four services.
func Catalogue(members []Member, seed uint64) (clients []Subsystem, services []Service) {
	rng := rand.New(rand.NewPCG(seed, 0x51a))
	verbs := []string{"inquiry", "verify", "status", "register", "lookup", "report"}
	for _, m := range members {
		for k := range 1 + rng.IntN(3) {
			sub := Subsystem{m, "sys" + strconv.Itoa(k+1)}
			clients = append(clients, sub)
			if rng.IntN(2) == 0 {
				continue
			}
			for v := range 1 + rng.IntN(4) {
				services = append(services, Service{sub, verbs[(k+v)%len(verbs)] + strconv.Itoa(v+1), "v1"})
			}
		}
	}
	return clients, services
}
