package service

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/store"
)

// Importing the exchange's telemetry (issue 15): one file, one
// transaction, streaming in constant memory (the shape exchange/doc.go
// gives). The records are summed into hourly aggregates as they are read
// and each hour is added into its row; the hours' days are summed in
// memory (a few thousand pairs a day) and added at the end, with the pairs'
// lifetime marks. The import's digest is recorded last: the same records
// again, in any file or form, are refused there and the whole transaction
// rolls back, so a re-import changes nothing.

// ExchangeRetention is how long hourly aggregates are kept; the days hold
// the same traffic for good (see store.Tx.DropHoursBefore).
const ExchangeRetention = 35 * 24 * time.Hour

// maxOpenDays bounds the days an import sums in memory before adding them
// to the store (each about 1.3 KiB).
const maxOpenDays = 1 << 13

// ImportResult is what an import did.
type ImportResult struct {
	Report *exchange.Report
	// Repeat is set when the records were imported before (the same
	// digest): nothing changed; ImportedAt is when they were.
	Repeat     bool
	ImportedAt time.Time
	// Hours and Days are the aggregate rows written (new or merged);
	// DroppedHours the hours past the retention removed.
	Hours, Days, DroppedHours int64
}

// mayImport lets in the exchange operator's token, the secretariat and the
// console.
func (a Actor) mayImport() error {
	switch a.Role {
	case RoleExchange, RoleAdmin, RoleSecretariat:
		return nil
	case RoleAnonymous:
		return domain.Unauthorized()
	}
	return domain.Forbidden("درون‌ریزی داده تبادل با مرکز تبادل یا دبیرخانه است", "only the exchange operator or the secretariat imports exchange telemetry")
}

// ImportExchange reads operational-monitoring records from r (plain or
// gzip JSON, the full or the open-data form) and adds them to the
// aggregates in one transaction. A bad record is counted and listed in the
// report and the rest is taken; an input that cannot be read to its end
// (a JSON syntax error in an array, a cut-off gzip) changes nothing and
// fails with the place it stopped. source names the input in the imports
// table (a file name; never its content).
func (s *Service) ImportExchange(ctx context.Context, a Actor, r io.Reader, source string) (*ImportResult, error) {
	if err := a.mayImport(); err != nil {
		return nil, err
	}
	if err := domain.CheckLine("source", source, 300); err != nil {
		source = ""
	}
	res := &ImportResult{}
	err := s.update(ctx, a, func(tx *store.Tx) error {
		*res = ImportResult{}
		known := func(sub exchange.Subsystem) bool {
			_, err := tx.Mapping(sub)
			return err == nil
		}
		rd, err := exchange.NewReader(r, exchange.Options{Known: known})
		if err != nil {
			return domain.Invalid("file", "پرونده نه JSON است و نه gzip", "the file is neither JSON nor gzip")
		}
		defer rd.Close()
		im := importer{tx: tx, pairs: map[pairKey]*store.ExchangePair{}, days: map[dayKey]*exchange.Aggregate{}, res: res}
		ag := exchange.NewAggregator(im.hour, 1<<13)
		for rd.Next() {
			if err := ag.Add(rd.Record()); err != nil {
				return err
			}
		}
		if err := rd.Err(); err != nil {
			return streamProblem(err)
		}
		if err := ag.Close(); err != nil {
			return err
		}
		if err := im.flushDays(); err != nil {
			return err
		}
		for _, p := range im.pairs {
			if err := tx.SavePair(p); err != nil {
				return err
			}
		}
		rep := rd.Report()
		res.Report = rep
		if rep.Digest == "" {
			return errors.New("service: the import ended without a digest")
		}
		body, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		row := &store.ExchangeImport{Digest: rep.Digest, Source: source, Records: rep.Records, Accepted: rep.Accepted,
			Bad: rep.Bad, Duplicates: rep.Duplicates, Report: string(body), By: a.Name}
		if err := tx.RecordImport(row); err != nil {
			return err
		}
		res.ImportedAt = row.At
		if res.DroppedHours, err = tx.DropHoursBefore(tx.Now().Add(-ExchangeRetention).UnixMilli()); err != nil {
			return err
		}
		return tx.Audit("import", "exchange-import", rep.Digest, nil, importAudit{Source: source, Records: rep.Records,
			Accepted: rep.Accepted, Bad: rep.Bad, Duplicates: rep.Duplicates, Unknown: rep.UnknownRecords})
	})
	if domain.IsKind(err, domain.KindConflict) && res.Report != nil {
		// The same records were taken before: say when, change nothing.
		var prev *store.ExchangeImport
		if verr := s.db.View(ctx, func(tx *store.Tx) (err error) { prev, err = tx.ImportByDigest(res.Report.Digest); return err }); verr == nil {
			return &ImportResult{Report: res.Report, Repeat: true, ImportedAt: prev.At}, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// importAudit is what the audit log keeps of an import: counts.
type importAudit struct {
	Source                                      string
	Records, Accepted, Bad, Duplicates, Unknown int64
}

// streamProblem is a read that could not go on, as a bad-input error
// naming the byte and record where it stopped.
func streamProblem(err error) error {
	var se *exchange.StreamError
	if errors.As(err, &se) {
		e := domain.Invalid("file", se.Message.FA, se.Message.EN)
		e.Message = domain.T(se.Message.FA+" (بایت "+itoa64(se.Offset)+"، رکورد "+itoa64(se.Record)+")",
			se.Message.EN+" (byte "+itoa64(se.Offset)+", record "+itoa64(se.Record)+")")
		return e
	}
	return err
}

type pairKey struct {
	client  exchange.Subsystem
	service exchange.Service
}

type dayKey struct {
	pair int64
	day  int64 // DayStart, ms
}

// importer adds one import's flushed hours to the store.
type importer struct {
	tx    *store.Tx
	pairs map[pairKey]*store.ExchangePair
	days  map[dayKey]*exchange.Aggregate
	res   *ImportResult
}

func (im *importer) hour(a *exchange.Aggregate) error {
	k := pairKey{a.Client, a.Service}
	p := im.pairs[k]
	if p == nil {
		var err error
		if p, err = im.tx.Pair(a.Client, a.Service); err != nil {
			return err
		}
		im.pairs[k] = p
	}
	p.Note(a)
	if err := im.tx.MergeTraffic(p.ID, a); err != nil {
		return err
	}
	im.res.Hours++
	start := exchange.DayStart(exchange.DayOf(a.Start))
	dk := dayKey{p.ID, start.UnixMilli()}
	d := im.days[dk]
	if d == nil {
		if len(im.days) >= maxOpenDays {
			if err := im.flushDays(); err != nil {
				return err
			}
		}
		d = &exchange.Aggregate{Span: exchange.SpanDay, Start: start, Client: a.Client, Service: a.Service}
		im.days[dk] = d
	}
	d.Merge(a)
	return nil
}

func (im *importer) flushDays() error {
	for k, d := range im.days {
		if err := im.tx.MergeTraffic(k.pair, d); err != nil {
			return err
		}
		im.res.Days++
	}
	clear(im.days)
	return nil
}

// ImportRow is one past import, with its report.
type ImportRow struct {
	ID            int64
	Source        string
	At            time.Time
	By            string
	Report        exchange.Report
	StillUnmapped []exchange.UnknownIdentity // the report's unknown identities that no mapping names yet
}

// ExchangeImports lists the latest imports (newest first), each with the
// identities it found unknown that are still unmapped: what the
// secretariat is offered to map. The secretariat's.
func (s *Service) ExchangeImports(ctx context.Context, a Actor, limit int) (out []ImportRow, err error) {
	if err := a.mayReadExchange(); err != nil {
		return nil, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		ims, err := tx.Imports(max(1, min(limit, 100)))
		if err != nil {
			return err
		}
		mapped := map[exchange.Subsystem]bool{}
		for _, im := range ims {
			row := ImportRow{ID: im.ID, Source: im.Source, At: im.At, By: im.By}
			if err := json.Unmarshal([]byte(legacyReportKeys.Replace(im.Report)), &row.Report); err != nil {
				return err
			}
			for _, u := range row.Report.Unknown {
				known, ok := mapped[u.Subsystem]
				if !ok {
					_, merr := tx.Mapping(u.Subsystem)
					known = merr == nil
					mapped[u.Subsystem] = known
				}
				if !known {
					row.StillUnmapped = append(row.StillUnmapped, u)
				}
			}
			out = append(out, row)
		}
		return nil
	})
	return out, err
}

// legacyReportKeys reads an import report stored before the API's field
// names became snake_case (the report is kept as the JSON it was answered
// with): its camelCase keys are renamed, so no older import loses its
// counts or its unknown identities.
var legacyReportKeys = strings.NewReplacer(`"badBy":`, `"bad_by":`, `"problemsOmitted":`, `"problems_omitted":`,
	`"clientRecords":`, `"client_records":`, `"producerRecords":`, `"producer_records":`, `"openData":`, `"open_data":`,
	`"unknownRecords":`, `"unknown_records":`, `"unknownOmitted":`, `"unknown_omitted":`, `"firstRecord":`, `"first_record":`)
