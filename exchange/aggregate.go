package exchange

import (
	"cmp"
	"math"
	"slices"
	"time"
	_ "time/tzdata" // Tehran's zone, whatever the host has installed

	"github.com/pishran/pishran/domain"
)

// Span is the length of an aggregate's bucket.
type Span uint8

const (
	SpanHour Span = 1 // one Tehran clock hour
	SpanDay  Span = 2 // one Tehran calendar day
	// SpanTotal is a summary over any period (a store's lifetime totals of
	// a pair). Evaluate takes only its time marks from it, since it has no
	// place on the calendar.
	SpanTotal Span = 3
)

func (s Span) String() string {
	switch s {
	case SpanHour:
		return "hour"
	case SpanDay:
		return "day"
	case SpanTotal:
		return "total"
	}
	return "unknown"
}

// Tehran is the zone of Pishran's hours and days.
var Tehran = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Tehran")
	if err != nil { // unreachable with time/tzdata linked in
		return time.FixedZone("IRST", 3*3600+1800)
	}
	return loc
}()

const (
	hourMs     = 3_600_000
	halfHourMs = 1_800_000
)

// HourStart is the start of the Tehran clock hour holding t (milliseconds
// since the epoch), in the same unit. Tehran's offsets (+03:30, and +04:30
// in the summers up to 2022) are both half an hour past a whole hour, so its
// hours begin at half past each UTC hour whatever the season. (Open data
// rounded to the UTC hour thus falls in the Tehran hour that began half an
// hour earlier.)
func HourStart(ms int64) int64 {
	return floorDiv(ms-halfHourMs, hourMs)*hourMs + halfHourMs
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// DayOf is the Tehran calendar day of t.
func DayOf(t time.Time) domain.Date {
	y, m, d := t.In(Tehran).Date()
	return domain.NewDate(y, int(m), d)
}

// DayStart is the instant a Tehran calendar day begins.
func DayStart(d domain.Date) time.Time {
	return time.Date(d.Y, time.Month(d.M), d.D, 0, 0, 0, 0, Tehran).UTC()
}

// Stats is what one server's log says of the messages of one bucket.
type Stats struct {
	Successes uint64 `json:"successes"`
	Failures  uint64 `json:"failures"`
	// Sizes in bytes: sums over the messages, and the largest.
	RequestBytes     uint64 `json:"request_bytes"`
	ResponseBytes    uint64 `json:"response_bytes"`
	MaxRequestBytes  uint64 `json:"max_request_bytes"`
	MaxResponseBytes uint64 `json:"max_response_bytes"`
	// Time marks, in milliseconds since the epoch (requestInTs), 0 when
	// there is none. In the open-data form they are hour-rounded.
	FirstSeen    int64 `json:"first_seen,omitempty"`
	LastSeen     int64 `json:"last_seen,omitempty"`
	FirstSuccess int64 `json:"first_success,omitempty"`
	LastSuccess  int64 `json:"last_success,omitempty"`
	// Durations of the messages that have one (Record.Duration).
	Durations Histogram `json:"durations"`
}

// Messages is the number of messages counted.
func (s Stats) Messages() uint64 { return s.Successes + s.Failures }

// FailureRate is the share of failed messages (0 with no messages).
func (s Stats) FailureRate() float64 {
	if n := s.Messages(); n > 0 {
		return float64(s.Failures) / float64(n)
	}
	return 0
}

// P50 and P95 are duration quantiles in milliseconds (see
// Histogram.Quantile); ok is false when no message had a duration.
func (s *Stats) P50() (ms float64, ok bool) { return s.Durations.Quantile(0.50) }
func (s *Stats) P95() (ms float64, ok bool) { return s.Durations.Quantile(0.95) }

// Add counts one record.
func (s *Stats) Add(r *Record) {
	t := r.RequestIn
	if r.Succeeded {
		s.Successes++
		s.FirstSuccess = minMark(s.FirstSuccess, t)
		s.LastSuccess = max(s.LastSuccess, t)
	} else {
		s.Failures++
	}
	s.FirstSeen = minMark(s.FirstSeen, t)
	s.LastSeen = max(s.LastSeen, t)
	if r.RequestSize > 0 {
		s.RequestBytes += uint64(r.RequestSize)
		s.MaxRequestBytes = max(s.MaxRequestBytes, uint64(r.RequestSize))
	}
	if r.ResponseSize > 0 {
		s.ResponseBytes += uint64(r.ResponseSize)
		s.MaxResponseBytes = max(s.MaxResponseBytes, uint64(r.ResponseSize))
	}
	if d, ok := r.Duration(); ok {
		s.Durations.Add(d)
	}
}

// Merge adds o into s: sums add, maxima and time marks combine. Merging is
// exact, associative and commutative, so hours roll up into days, and
// partial aggregates of one bucket into the bucket, in any order.
func (s *Stats) Merge(o *Stats) {
	s.Successes += o.Successes
	s.Failures += o.Failures
	s.RequestBytes += o.RequestBytes
	s.ResponseBytes += o.ResponseBytes
	s.MaxRequestBytes = max(s.MaxRequestBytes, o.MaxRequestBytes)
	s.MaxResponseBytes = max(s.MaxResponseBytes, o.MaxResponseBytes)
	s.FirstSeen = minMark(s.FirstSeen, o.FirstSeen)
	s.LastSeen = max(s.LastSeen, o.LastSeen)
	s.FirstSuccess = minMark(s.FirstSuccess, o.FirstSuccess)
	s.LastSuccess = max(s.LastSuccess, o.LastSuccess)
	s.Durations.Merge(&o.Durations)
}

// minMark is the earlier of two time marks, 0 meaning none.
func minMark(a, b int64) int64 {
	if a == 0 || (b != 0 && b < a) {
		return b
	}
	return a
}

// Aggregate is the traffic of one client subsystem to one service over one
// bucket of time, as each side's server logged it. It is what Pishran keeps
// of the exchange: no record, no message, nobody's data.
//
// The two sides are kept apart because a message between two monitored
// servers is in both logs: adding them would count it twice, and which of
// its two records comes first in a file, or in which file, is anyone's
// guess. Kept apart, every merge is a plain sum and Messages picks one side
// per bucket.
type Aggregate struct {
	Span    Span      `json:"span"`
	Start   time.Time `json:"start"` // when the bucket begins (UTC); zero for SpanTotal
	Client  Subsystem `json:"client"`
	Service Service   `json:"service"`

	ClientLog   Stats `json:"client_log"`   // records of securityServerType Client
	ProducerLog Stats `json:"producer_log"` // records of securityServerType Producer
}

// Side is the log that Messages reads: the fuller one, the client's on a
// tie; 0 when the bucket is empty.
//
// Why the fuller log: a (client subsystem, service) pair sits behind one
// client server and one provider server, so within a bucket each log is
// either complete for that server or absent. Every message the provider's
// server saw passed through the client's, and the client's also saw those
// that failed before reaching the provider (network, certificates, the
// provider's server down), so when both are monitored the client's log is
// the whole of the traffic, and when one is not monitored the other is all
// there is. Taking the fuller log is that rule, made robust to a partly
// monitored cluster. Its one blind spot: a message straddling the bucket
// boundary can be counted in both buckets when the two sides disagree on
// which side is fuller in them; it cannot be counted twice in one bucket.
func (a *Aggregate) Side() Side {
	c, p := a.ClientLog.Messages(), a.ProducerLog.Messages()
	switch {
	case c == 0 && p == 0:
		return 0
	case c >= p:
		return SideClient
	}
	return SideProducer
}

// Messages is the bucket's traffic with each message counted once: the
// log Side names (zero Stats for an empty bucket).
func (a *Aggregate) Messages() Stats {
	switch a.Side() {
	case SideClient:
		return a.ClientLog
	case SideProducer:
		return a.ProducerLog
	}
	return Stats{}
}

// Merge adds o into a, side by side. The caller merges aggregates of one
// key (span, start, client, service); Rollup and the Aggregator do.
func (a *Aggregate) Merge(o *Aggregate) {
	a.ClientLog.Merge(&o.ClientLog)
	a.ProducerLog.Merge(&o.ProducerLog)
}

// Add counts one record in the log of its side.
func (a *Aggregate) Add(r *Record) {
	if r.Side == SideProducer {
		a.ProducerLog.Add(r)
	} else {
		a.ClientLog.Add(r)
	}
}

// Rollup merges aggregates into one per Tehran day and (client, service),
// in the order of Less. Each input lands in the day its Start falls in, so
// hours (which never straddle a Tehran midnight) roll up exactly; SpanTotal
// inputs are left out.
func Rollup(aggs []Aggregate) []Aggregate {
	type key struct {
		day     domain.Date
		client  Subsystem
		service Service
	}
	idx := make(map[key]int)
	var out []Aggregate
	for i := range aggs {
		a := &aggs[i]
		if a.Span == SpanTotal {
			continue
		}
		k := key{DayOf(a.Start), a.Client, a.Service}
		j, ok := idx[k]
		if !ok {
			j = len(out)
			idx[k] = j
			out = append(out, Aggregate{Span: SpanDay, Start: DayStart(k.day), Client: a.Client, Service: a.Service})
		}
		out[j].Merge(a)
	}
	slices.SortFunc(out, func(x, y Aggregate) int { return Compare(&x, &y) })
	return out
}

// Compare orders aggregates by start, client, service and span: the order
// the Aggregator flushes in, so that a store writes rows in a stable order.
func Compare(x, y *Aggregate) int {
	if c := x.Start.Compare(y.Start); c != 0 {
		return c
	}
	if c := compareSubsystem(x.Client, y.Client); c != 0 {
		return c
	}
	if c := compareSubsystem(x.Service.Provider, y.Service.Provider); c != 0 {
		return c
	}
	if c := cmp.Or(cmp.Compare(x.Service.Code, y.Service.Code), cmp.Compare(x.Service.Version, y.Service.Version)); c != 0 {
		return c
	}
	return cmp.Compare(x.Span, y.Span)
}

func compareSubsystem(x, y Subsystem) int {
	return cmp.Or(cmp.Compare(x.Instance, y.Instance), cmp.Compare(x.Class, y.Class),
		cmp.Compare(x.Member.Code, y.Member.Code), cmp.Compare(x.Code, y.Code))
}

// Aggregator sums records into hourly aggregates in bounded memory. It
// keeps at most MaxOpen buckets open; when one more is needed it flushes
// finished hours (see Add), in Compare order, to the function given to
// NewAggregator. A store adds each flushed aggregate into the row of its
// key (insert, or merge into the one there). Since merging is exact, the
// result is the same however often it flushes; and since an import either
// commits as a whole or not at all (guarded by Report.Digest), a flushed
// aggregate is never merged twice.
type Aggregator struct {
	flush   func(*Aggregate) error
	maxOpen int
	open    map[bucketKey]*Aggregate
	pairs   map[*pairEntry]int32 // reader's cached pairs → index in names
	byName  map[pairName]int32
	names   []pairName
	spare   []*Aggregate
	latest  int64 // the latest hour opened
}

type pairName struct {
	client  Subsystem
	service Service
}

type bucketKey struct {
	hour int64 // HourStart, ms
	pair int32
}

// DefaultMaxOpen is the Aggregator's default bound on open buckets: about
// 6 MiB, room for two hours of 2,000 active pairs.
const DefaultMaxOpen = 1 << 12

// NewAggregator returns an Aggregator that hands full buckets to flush.
// maxOpen <= 0 means DefaultMaxOpen. The *Aggregate passed to flush is
// reused after flush returns; copy it to keep it.
func NewAggregator(flush func(*Aggregate) error, maxOpen int) *Aggregator {
	if maxOpen <= 0 {
		maxOpen = DefaultMaxOpen
	}
	return &Aggregator{
		flush:   flush,
		maxOpen: maxOpen,
		open:    make(map[bucketKey]*Aggregate),
		pairs:   make(map[*pairEntry]int32),
		byName:  make(map[pairName]int32),
	}
}

// maxPairNames bounds the Aggregator's pair table; past it the table starts
// afresh (after a flush, since open buckets refer to it).
const maxPairNames = 1 << 16

func (ag *Aggregator) pairIndex(r *Record) (int32, error) {
	if r.pair != nil {
		if i, ok := ag.pairs[r.pair]; ok {
			return i, nil
		}
	}
	n := pairName{r.Client, r.Service}
	i, ok := ag.byName[n]
	if !ok {
		if len(ag.names) >= maxPairNames {
			if err := ag.Flush(); err != nil {
				return 0, err
			}
			clear(ag.pairs)
			clear(ag.byName)
			ag.names = ag.names[:0]
		}
		i = int32(len(ag.names))
		ag.names = append(ag.names, n)
		ag.byName[n] = i
	}
	if r.pair != nil && len(ag.pairs) < maxPairNames {
		ag.pairs[r.pair] = i
	}
	return i, nil
}

// Add counts a record in its hour's bucket. When MaxOpen buckets are open
// and the record needs another, the buckets of hours before the latest one
// seen are flushed (records come roughly in time order, so those hours are
// done), or all of them if every open bucket is of that hour.
func (ag *Aggregator) Add(r *Record) error {
	p, err := ag.pairIndex(r)
	if err != nil {
		return err
	}
	k := bucketKey{HourStart(r.RequestIn), p}
	a := ag.open[k]
	if a == nil {
		if len(ag.open) >= ag.maxOpen {
			if err := ag.flushBefore(ag.latest); err != nil {
				return err
			}
			if len(ag.open) >= ag.maxOpen {
				if err := ag.Flush(); err != nil {
					return err
				}
			}
		}
		if n := len(ag.spare); n > 0 {
			a, ag.spare = ag.spare[n-1], ag.spare[:n-1]
			*a = Aggregate{}
		} else {
			a = new(Aggregate)
		}
		name := ag.names[p]
		a.Span, a.Start, a.Client, a.Service = SpanHour, time.UnixMilli(k.hour).UTC(), name.client, name.service
		ag.open[k] = a
		ag.latest = max(ag.latest, k.hour)
	}
	a.Add(r)
	return nil
}

// Flush hands every open bucket to the flush function, in Compare order,
// and empties the Aggregator. Flushing early loses nothing.
func (ag *Aggregator) Flush() error { return ag.flushBefore(math.MaxInt64) }

// flushBefore flushes the open buckets of hours before hour.
func (ag *Aggregator) flushBefore(hour int64) error {
	list := make([]*Aggregate, 0, len(ag.open))
	for k, a := range ag.open {
		if k.hour < hour {
			list = append(list, a)
			delete(ag.open, k)
		}
	}
	slices.SortFunc(list, Compare)
	for _, a := range list {
		if err := ag.flush(a); err != nil {
			return err
		}
		ag.spare = append(ag.spare, a)
	}
	return nil
}

// Close flushes what is left.
func (ag *Aggregator) Close() error { return ag.Flush() }

// Collect is a flush function for callers that want every aggregate in
// memory (tests, small files, the CLI's dry run): it merges flushed
// aggregates into m by key.
func Collect(m map[AggregateKey]*Aggregate) func(*Aggregate) error {
	return func(a *Aggregate) error {
		k := a.Key()
		if have, ok := m[k]; ok {
			have.Merge(a)
			return nil
		}
		c := *a
		m[k] = &c
		return nil
	}
}

// AggregateKey is what identifies an aggregate: a store's primary key.
type AggregateKey struct {
	Span    Span
	Start   int64 // Unix milliseconds
	Client  Subsystem
	Service Service
}

// Key is the aggregate's key.
func (a *Aggregate) Key() AggregateKey {
	var start int64
	if !a.Start.IsZero() {
		start = a.Start.UnixMilli()
	}
	return AggregateKey{a.Span, start, a.Client, a.Service}
}

// Sorted lists the aggregates of m in Compare order.
func Sorted(m map[AggregateKey]*Aggregate) []Aggregate {
	out := make([]Aggregate, 0, len(m))
	for _, a := range m {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(x, y Aggregate) int { return Compare(&x, &y) })
	return out
}
