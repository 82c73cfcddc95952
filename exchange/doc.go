// Package exchange turns the National Information Exchange's own logs into
// evidence: it reads X-Road operational-monitoring records (the format of
// PR-OPMON, see reference/exchange-telemetry.md), keeps nothing personal,
// sums them into hourly aggregates per (client subsystem, service), and
// judges each declared integration live, failing, silent or never seen.
//
// It is pure: the standard library and domain only, no storage, no HTTP.
// The store persists its Aggregate; the service runs imports and
// evaluations; the pages show Status.
//
// # Identities
//
// Member, Subsystem and Service name parties the way X-Road does, with the
// path forms INSTANCE/CLASS/CODE[/SUBSYSTEM] and
// INSTANCE/CLASS/CODE/SUBSYSTEM/SERVICE[/VERSION] (ParseSubsystem,
// ParseService, String). An Integration ("client consumes service") is what
// a project declares; Integration.Covers says which traffic is its (a
// declaration without a version covers every version).
//
// # Importing
//
// One import is one transaction. The shape the service layer should take:
//
//	rd, err := exchange.NewReader(file, exchange.Options{Known: registry.HasIdentity})
//	if err != nil { … } // not gzip nor JSON: refuse
//	defer rd.Close()
//	tx := store.Begin()
//	ag := exchange.NewAggregator(tx.MergeAggregate, 0) // upsert: insert, or Merge into the row there
//	for rd.Next() {
//		if err := ag.Add(rd.Record()); err != nil { tx.Rollback(); … }
//	}
//	if err := rd.Err(); err != nil { tx.Rollback(); … } // *StreamError: names byte offset and record
//	if err := ag.Close(); err != nil { tx.Rollback(); … }
//	rep := rd.Report()
//	tx.RecordImport(rep.Digest, rep) // UNIQUE(digest): a second import of the same records fails here
//	tx.Commit()
//
// Reading is streaming and its memory is fixed whatever the file's size:
// the Reader holds one record's bytes at a time (a buffer that grows to
// Options.MaxRecordBytes at most), a duplicate filter of fixed size and
// small identity caches; gzip (told by its magic bytes) is inflated on a
// second goroutine a few chunks ahead. The Aggregator holds at most MaxOpen
// hour buckets and flushes them, sorted, to its function when full. The
// input may be {"records":[…]} (with other members around it, several
// documents one after another), a bare array or JSON Lines, and each record
// the full form or the anonymised open-data form (no monitoringDataTs,
// securityServerInternalIp, messageUserId, messageIssue; requestInTs
// rounded to the hour; requestInDate added), told record by record.
//
// Bad records do not stop an import: a record of the wrong JSON type, with a
// required field missing (securityServerType, requestInTs, succeeded, the
// client's instance, class and member code, the service's instance, class,
// member code and service code), a field of the wrong type, an identifier
// breaking the rules, a timestamp out of 2000–2100 in milliseconds, a
// negative size is counted in Report.BadBy and listed in Report.Problems
// with its number, byte offset, field and a reason in Persian and English.
// A JSON syntax error in an array ends the import with a StreamError (the
// end of a broken record cannot be known), except in JSON Lines, where the
// line is a bad record. Identities the registry does not know
// (Options.Known) are taken and listed in Report.Unknown for mapping: the
// aggregates are kept by exchange identity, so they count for the agency
// the day the identity is mapped.
//
// # Counting each message once
//
// A message between two monitored servers is logged by both, as a Client
// record and a Producer record. Two rules keep it from counting twice:
//
//   - Aggregate keeps the two logs apart (ClientLog, ProducerLog) and
//     Aggregate.Messages reads one per bucket: the fuller, the client's on a
//     tie. A pair sits behind one client server and one provider server; the
//     client's log holds every message the provider's does plus those that
//     failed before reaching it, so when both are monitored the client's is
//     the whole, and when one is not the other is all there is. This holds
//     whatever the files' order or split and without message ids, so it is
//     also the rule of the open data. (Day rollups choose per day, hours per
//     hour; a message whose two records straddle an hour can, rarely, count
//     in both hours.)
//   - The Reader drops a record whose Key equals one read shortly before
//     (Options.DedupWindow, by default the last 131,072 to 262,144 records):
//     the same log entry delivered twice, as a collector that asks again
//     from its last timestamp gets it. Key covers the record's kept fields
//     and a hash of its xRequestId (else messageId); records without an id
//     are never taken for duplicates, since two identical rows of the open
//     data are two messages.
//
// # Re-importing changes nothing
//
// Report.Digest is the idempotence key: a SHA-256 of the multiset of the
// accepted records' keys. The same records give the same digest whatever
// their order, layout (wrapper, array, lines), compression or the bad
// records around them, so the store refuses the second import of the same
// data in any form, and the aggregates, which only the accepted records
// feed, cannot be merged twice. It is known once the input is read to its
// end, hence the transaction above. Record.Key (128 bits, no personal data,
// no way back to the ids) is there for a store that wants record-level
// idempotence over overlapping files in a window of its choosing; keeping
// every key at national volume (23.6 million messages a day) would cost
// more than the aggregates themselves, so the store does not by default.
//
// # Privacy
//
// Record has no field for messageUserId, messageIssue, the represented
// party, securityServerInternalIp, the security server addresses, messageId,
// xRequestId, faultString or restPath: the parser skips their values without
// copying them, except the two ids, which are hashed into Key and wiped from
// the scratch buffer. faultCode is kept only when it has the shape of
// X-Road's dotted codes. Problems name fields, never values; StreamError
// names a byte by its hex code only. TestPrivacy feeds records carrying
// markers in each of those fields and finds none in anything handed out.
//
// # Aggregates
//
// An Aggregate is one Tehran clock hour (SpanHour) or day (SpanDay) of one
// (client subsystem, service), per log: successes, failures, request and
// response bytes (sum and largest), first and last seen, first and last
// success (ms), and a Histogram of durations. The histogram has 145 fixed
// log-scale bins (exact to 7 ms, then 8 per doubling to 17.5 minutes), so
// merging is adding bins and a quantile read from it (P50, P95) is within
// ±6.25% of the true one. Histogram.MarshalBinary gives a compact form for
// storage (a few dozen bytes for a typical mix; one byte when empty).
// Merge is exact, associative and commutative: partial flushes of a bucket
// merge into the bucket, hours roll up into days (Rollup), any order.
// Hours start at half past each UTC hour, Tehran's hours whatever the
// season; days are Tehran days (DayOf, DayStart). A store would keep hours
// for a retention period, then replace them with their Rollup.
//
// Storage at national volume, as an order of magnitude: BenchmarkImportGzip
// encodes each hourly aggregate as a store would write it (identities,
// twenty counters as varints, two compact histograms) and finds 200 bytes a
// row on average. If 3,000 (client, service) pairs are active around the
// clock, a year of hours is 26 million rows, some 5.3 GB before the
// database's own overhead, and a year of days 1.1 million rows, some 220
// MB. With hours kept 35 days and then rolled up into days, the store holds
// about 500 MB of hours plus 220 MB a year, however many messages there
// are.
//
// # Status
//
// Evaluate judges a declared integration from its aggregates as of a time,
// under a Policy (DefaultPolicy: failure rate judged over 7 days, failing
// above 10% with at least 20 messages or with no success at all, silent
// after 14 days without traffic, a 90-day series). Status carries the
// state with its label in both languages, first and last seen, first
// success ("evidenced by the exchange since"), last success, the window's
// counts, p50 and p95, and the daily series for a sparkline.
//
// # Generating
//
// Generate writes deterministic synthetic telemetry (seeded) for `pishran
// generate`, tests and benchmarks: national daily volume by default
// (NationalPerDay), traffic on given Pairs or on Clients and Services (the
// registry's agencies mapped to identities, see Catalogue), a working-day
// curve, heavy-tailed use, log-normal latencies, a few failing services,
// pairs going silent and never seen, client-only and producer-only pairs,
// network failures only the client's server logs, unknown identities,
// malformed records and duplicate deliveries, in the full or the open-data
// form, plain or gzip, in constant memory on every core. Truth says what
// was written, for tests to check an import against.
package exchange
