package store

import (
	"database/sql"
	"errors"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
)

// The exchange's traffic as Pishran keeps it (migration 00021): pairs with
// their lifetime time marks, hourly and daily aggregates, and the imports
// that fed them. Nothing here holds a record, a message id or anyone's
// data; see exchange.Record for what is kept of a record at all.

// ExchangePair is one (client subsystem, service version) of the traffic
// and its lifetime marks (only the time marks of Marks are used).
type ExchangePair struct {
	ID    int64
	Marks exchange.Stats
	dirty bool
}

// Note merges an aggregate's time marks into the pair's.
func (p *ExchangePair) Note(a *exchange.Aggregate) {
	for _, s := range [...]*exchange.Stats{&a.ClientLog, &a.ProducerLog} {
		m := exchange.Stats{FirstSeen: s.FirstSeen, LastSeen: s.LastSeen, FirstSuccess: s.FirstSuccess, LastSuccess: s.LastSuccess}
		before := p.Marks
		p.Marks.Merge(&m)
		p.dirty = p.dirty || before.FirstSeen != p.Marks.FirstSeen || before.LastSeen != p.Marks.LastSeen ||
			before.FirstSuccess != p.Marks.FirstSuccess || before.LastSuccess != p.Marks.LastSuccess
	}
}

// Pair returns the pair of client and svc, recording it when new.
func (t *Tx) Pair(client exchange.Subsystem, svc exchange.Service) (*ExchangePair, error) {
	c, s := client.String(), serviceBase(svc)
	p := &ExchangePair{}
	err := t.row(`SELECT id, first_seen, last_seen, first_success, last_success FROM exchange_pairs
		WHERE client = ? AND service = ? AND service_version = ?`, c, s, svc.Version).
		Scan(&p.ID, &p.Marks.FirstSeen, &p.Marks.LastSeen, &p.Marks.FirstSuccess, &p.Marks.LastSuccess)
	if errors.Is(err, sql.ErrNoRows) {
		p.ID, err = t.insert(`INSERT INTO exchange_pairs (client, service, service_version) VALUES (?, ?, ?)`, c, s, svc.Version)
	}
	return p, err
}

// SavePair writes the pair's marks if they moved.
func (t *Tx) SavePair(p *ExchangePair) error {
	if !p.dirty {
		return nil
	}
	_, err := t.exec(`UPDATE exchange_pairs SET first_seen = ?, last_seen = ?, first_success = ?, last_success = ? WHERE id = ?`,
		p.Marks.FirstSeen, p.Marks.LastSeen, p.Marks.FirstSuccess, p.Marks.LastSuccess, p.ID)
	p.dirty = false
	return err
}

// MergeTraffic adds an hourly or daily aggregate of the pair into its row:
// a new row, or the sum with the row there (exchange.Aggregate.Merge is
// exact, so partial flushes of one bucket add up to the bucket).
func (t *Tx) MergeTraffic(pair int64, a *exchange.Aggregate) error {
	table, keyCol, key := "exchange_hours", "start_ms", any(a.Start.UnixMilli())
	day := ""
	if a.Span == exchange.SpanDay {
		table, keyCol = "exchange_days", "day"
		day = exchange.DayOf(a.Start).String()
		key = day
	} else if a.Span != exchange.SpanHour {
		return errors.New("store: only hours and days of traffic are kept")
	}
	m := a.Messages()
	cl, pl := encodeStats(nil, &a.ClientLog), encodeStats(nil, &a.ProducerLog)
	var res sql.Result
	var err error
	if day != "" {
		res, err = t.exec(`INSERT INTO exchange_days (pair_id, day, start_ms, messages, failures, client_log, producer_log)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pair_id, day) DO NOTHING`, pair, day, a.Start.UnixMilli(), m.Messages(), m.Failures, cl, pl)
	} else {
		res, err = t.exec(`INSERT INTO exchange_hours (pair_id, start_ms, messages, failures, client_log, producer_log)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pair_id, start_ms) DO NOTHING`, pair, a.Start.UnixMilli(), m.Messages(), m.Failures, cl, pl)
	}
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var have exchange.Aggregate
	var hc, hp []byte
	if err := t.row(`SELECT client_log, producer_log FROM `+table+` WHERE pair_id = ? AND `+keyCol+` = ?`, pair, key).Scan(&hc, &hp); err != nil {
		return err
	}
	if err := decodeStats(hc, &have.ClientLog); err != nil {
		return err
	}
	if err := decodeStats(hp, &have.ProducerLog); err != nil {
		return err
	}
	have.Merge(a)
	m = have.Messages()
	_, err = t.exec(`UPDATE `+table+` SET messages = ?, failures = ?, client_log = ?, producer_log = ? WHERE pair_id = ? AND `+keyCol+` = ?`,
		m.Messages(), m.Failures, encodeStats(nil, &have.ClientLog), encodeStats(nil, &have.ProducerLog), pair, key)
	return err
}

// DropHoursBefore deletes the hourly aggregates that begin before ms: the
// days hold the same traffic (every import adds each hour into its day as
// well), so dropping the hours is the roll-up.
func (t *Tx) DropHoursBefore(ms int64) (int64, error) {
	res, err := t.exec(`DELETE FROM exchange_hours WHERE start_ms < ?`, ms)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ExchangeImport is one import's row.
type ExchangeImport struct {
	ID                                 int64
	Digest, Source                     string
	Records, Accepted, Bad, Duplicates int64
	Report                             string // the import report, JSON
	At                                 time.Time
	By                                 string
}

// RecordImport notes an import; an import of the same records (the same
// digest) taken before is refused as a conflict, which rolls back the
// aggregates it would have added twice.
func (t *Tx) RecordImport(im *ExchangeImport) error {
	var err error
	im.ID, err = t.insert(`INSERT INTO exchange_imports (digest, source, records, accepted, bad, duplicates, report, imported_at, imported_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, im.Digest, im.Source, im.Records, im.Accepted, im.Bad, im.Duplicates, im.Report, stamp(t.now), im.By)
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("digest", "همین رکوردها پیش‌تر درون‌ریزی شده‌اند", "these records were imported already")
		}
		return err
	}
	im.At = t.now
	return nil
}

// ImportByDigest returns the import of a digest.
func (t *Tx) ImportByDigest(digest string) (*ExchangeImport, error) {
	var im ExchangeImport
	var at string
	err := t.row(`SELECT id, digest, source, records, accepted, bad, duplicates, report, imported_at, imported_by FROM exchange_imports WHERE digest = ?`, digest).
		Scan(&im.ID, &im.Digest, &im.Source, &im.Records, &im.Accepted, &im.Bad, &im.Duplicates, &im.Report, &at, &im.By)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("digest", "import")
	}
	im.At = parseStamp(at)
	return &im, err
}

// Imports lists the latest imports, newest first.
func (t *Tx) Imports(limit int) ([]*ExchangeImport, error) {
	return list(t, func(sc scanner) (*ExchangeImport, error) {
		var im ExchangeImport
		var at string
		err := sc.Scan(&im.ID, &im.Digest, &im.Source, &im.Records, &im.Accepted, &im.Bad, &im.Duplicates, &im.Report, &at, &im.By)
		im.At = parseStamp(at)
		return &im, err
	}, `SELECT id, digest, source, records, accepted, bad, duplicates, report, imported_at, imported_by FROM exchange_imports ORDER BY id DESC LIMIT ?`, limit)
}

// AnyImport reports whether any exchange telemetry has been imported.
func (t *Tx) AnyImport() (bool, error) {
	var n int
	err := t.row(`SELECT COUNT(*) FROM (SELECT 1 FROM exchange_imports LIMIT 1) x`).Scan(&n)
	return n > 0, err
}

// TrafficOf reads what Evaluate needs of an integration's traffic: the
// days from the day of since on, and one SpanTotal aggregate per pair it
// covers holding the pair's lifetime marks.
func (t *Tx) TrafficOf(in exchange.Integration, since time.Time) ([]exchange.Aggregate, error) {
	q := `SELECT p.id, p.service_version, p.first_seen, p.last_seen, p.first_success, p.last_success, d.start_ms, d.client_log, d.producer_log
		FROM exchange_pairs p LEFT JOIN exchange_days d ON d.pair_id = p.id AND d.day >= ?
		WHERE p.client = ? AND p.service = ?`
	args := []any{exchange.DayOf(since).String(), in.Client.String(), serviceBase(in.Service)}
	if in.Service.Version != "" {
		q += ` AND p.service_version = ?`
		args = append(args, in.Service.Version)
	}
	rows, err := t.query(q+` ORDER BY p.id, d.day`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []exchange.Aggregate
	lastPair := int64(0)
	for rows.Next() {
		var (
			id     int64
			ver    string
			marks  exchange.Stats
			start  sql.NullInt64
			cl, pl []byte
		)
		if err := rows.Scan(&id, &ver, &marks.FirstSeen, &marks.LastSeen, &marks.FirstSuccess, &marks.LastSuccess, &start, &cl, &pl); err != nil {
			return nil, err
		}
		svc := in.Service
		svc.Version = ver
		if id != lastPair {
			lastPair = id
			out = append(out, exchange.Aggregate{Span: exchange.SpanTotal, Client: in.Client, Service: svc, ClientLog: marks})
		}
		if !start.Valid {
			continue
		}
		a := exchange.Aggregate{Span: exchange.SpanDay, Start: time.UnixMilli(start.Int64).UTC(), Client: in.Client, Service: svc}
		if err := decodeStats(cl, &a.ClientLog); err != nil {
			return nil, err
		}
		if err := decodeStats(pl, &a.ProducerLog); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
