package exchange

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// readAll reads every record of data and returns copies of the accepted
// records, the report and the error.
func readAll(t testing.TB, data []byte, opt Options) ([]Record, *Report, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data), opt)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	var out []Record
	for r.Next() {
		out = append(out, *r.Record())
	}
	return out, r.Report(), r.Err()
}

// aggregate reads data and sums it into hourly aggregates.
func aggregate(t testing.TB, data []byte, opt Options) (map[AggregateKey]*Aggregate, *Report) {
	t.Helper()
	m := map[AggregateKey]*Aggregate{}
	ag := NewAggregator(Collect(m), 0)
	r, err := NewReader(bytes.NewReader(data), opt)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		if err := ag.Add(r.Record()); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if err := ag.Close(); err != nil {
		t.Fatal(err)
	}
	return m, r.Report()
}

func gz(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	subA = Subsystem{Member{"IR", "GOV", "1001"}, "sabt"}
	subB = Subsystem{Member{"IR", "GOV", "1002"}, "tax"}
	svc1 = Service{Subsystem{Member{"IR", "GOV", "2001"}, "estelam"}, "getPerson", "v1"}
	svc2 = Service{Subsystem{Member{"IR", "GOV", "2002"}, "payments"}, "checkPayment", ""}
	// Tehran hours of the fixture: 09:00 and 10:00 on 2024-03-10 (05:30
	// and 06:30 UTC).
	hour1 = time.Date(2024, 3, 10, 5, 30, 0, 0, time.UTC)
	hour2 = time.Date(2024, 3, 10, 6, 30, 0, 0, time.UTC)
)

func key(start time.Time, c Subsystem, s Service) AggregateKey {
	return AggregateKey{SpanHour, start.UnixMilli(), c, s}
}

// TestProtocolFixture reads testdata/opmon-protocol.json, written by hand
// from the PR-OPMON field list, plain and gzip.
func TestProtocolFixture(t *testing.T) {
	plain := fixture(t, "opmon-protocol.json")
	for name, data := range map[string][]byte{"plain": plain, "gzip": gz(t, plain)} {
		t.Run(name, func(t *testing.T) {
			recs, rep, err := readAll(t, data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Compressed != (name == "gzip") || rep.Format != FormatRecords {
				t.Errorf("compressed %v format %q", rep.Compressed, rep.Format)
			}
			if rep.Records != 16 || rep.Accepted != 9 || rep.Duplicates != 1 || rep.Bad != 6 {
				t.Errorf("records %d accepted %d duplicates %d bad %d; want 16 9 1 6", rep.Records, rep.Accepted, rep.Duplicates, rep.Bad)
			}
			if len(recs) != 9 || rep.ClientRecords != 4 || rep.ProducerRecords != 5 || rep.OpenData != 0 {
				t.Errorf("%d records, client %d producer %d open %d", len(recs), rep.ClientRecords, rep.ProducerRecords, rep.OpenData)
			}
			if rep.Bytes != int64(len(plain)) {
				t.Errorf("bytes %d, want %d", rep.Bytes, len(plain))
			}
			want := []struct {
				n     int64
				code  ProblemCode
				field string
			}{
				{9, ProblemMissing, "clientMemberCode"},
				{10, ProblemTimestamp, "requestInTs"},
				{11, ProblemServerType, "securityServerType"},
				{12, ProblemType, "succeeded"},
				{13, ProblemNotObject, ""},
				{14, ProblemIdentity, "clientMemberCode"},
			}
			if len(rep.Problems) != len(want) {
				t.Fatalf("problems %+v", rep.Problems)
			}
			for i, w := range want {
				p := rep.Problems[i]
				if p.Number != w.n || p.Code != w.code || p.Field != w.field || p.Reason.FA == "" || p.Reason.EN == "" {
					t.Errorf("problem %d = %+v, want record %d %s %s", i, p, w.n, w.code, w.field)
				}
				// The offset points at the record's first byte.
				if c := plain[p.Offset]; c != '{' && c != 'n' {
					t.Errorf("problem %d offset %d points at %q", i, p.Offset, c)
				}
			}
			if !strings.Contains(rep.Problems[1].Reason.EN, "seconds") {
				t.Errorf("seconds hint missing: %s", rep.Problems[1].Reason.EN)
			}

			first := recs[0]
			if first.Number != 1 || first.Side != SideClient || first.Client != subA || first.Service != svc1 ||
				first.RequestIn != 1710049500000 || first.ResponseOut != 1710049500120 || !first.Succeeded ||
				first.RequestSize != 1210 || first.ResponseSize != 3400 || first.ServiceType != "WSDL" || !first.HasID || first.OpenData {
				t.Errorf("first record %+v", first)
			}
			if d, ok := first.Duration(); !ok || d != 120 {
				t.Errorf("duration %d %v", d, ok)
			}
			if recs[2].FaultCode != "Server.ClientProxy.NetworkError" || recs[2].Succeeded {
				t.Errorf("third record %+v", recs[2])
			}
			rest := recs[5] // record 7: REST, messageId only
			if rest.Number != 7 || rest.Side != SideProducer || rest.Service != svc2 || rest.StatusCode != 200 || rest.ServiceType != "REST" || !rest.HasID {
				t.Errorf("REST record %+v", rest)
			}
			if rep.Digest == "" {
				t.Error("no digest")
			}
		})
	}
}

func TestProtocolFixtureAggregates(t *testing.T) {
	m, _ := aggregate(t, fixture(t, "opmon-protocol.json"), Options{})
	if len(m) != 3 {
		t.Fatalf("%d aggregates: %v", len(m), m)
	}
	a := m[key(hour1, subA, svc1)]
	if a == nil {
		t.Fatalf("no aggregate for A->S1 at 09:00: %v", m)
	}
	c, p := a.ClientLog, a.ProducerLog
	if c.Successes != 2 || c.Failures != 1 || p.Successes != 2 || p.Failures != 0 {
		t.Errorf("client log %d/%d producer log %d/%d", c.Successes, c.Failures, p.Successes, p.Failures)
	}
	if a.Side() != SideClient {
		t.Errorf("side %v", a.Side())
	}
	msg := a.Messages()
	if msg.Messages() != 3 || msg.Failures != 1 {
		t.Errorf("messages %d failures %d, want 3 1", msg.Messages(), msg.Failures)
	}
	if c.RequestBytes != 3700 || c.MaxRequestBytes != 1300 || c.ResponseBytes != 8400 || c.MaxResponseBytes != 5000 {
		t.Errorf("sizes %+v", c)
	}
	if c.FirstSeen != 1710049500000 || c.LastSeen != 1710049620000 || c.FirstSuccess != 1710049500000 || c.LastSuccess != 1710049620000 {
		t.Errorf("marks %d %d %d %d", c.FirstSeen, c.LastSeen, c.FirstSuccess, c.LastSuccess)
	}
	// Durations 120, 255 and 30010 ms: p50 is 255, p95 30010.
	within(t, "p50", &c.Durations, 0.5, 255)
	within(t, "p95", &c.Durations, 0.95, 30010)
	within(t, "producer p50", &p.Durations, 0.5, 100)

	b := m[key(hour1, subB, svc2)]
	if b == nil || b.Side() != SideProducer || b.ProducerLog.Successes != 1 || b.ProducerLog.Failures != 1 || b.ClientLog.Messages() != 0 {
		t.Errorf("B->S2 %+v", b)
	}
	if b != nil {
		within(t, "B p95", &b.ProducerLog.Durations, 0.95, 1500)
	}
	h2 := m[key(hour2, subA, svc1)]
	if h2 == nil || h2.Messages().Messages() != 1 || h2.ProducerLog.Messages() != 1 {
		t.Errorf("A->S1 at 10:00 %+v", h2)
	}

	days := Rollup(Sorted(m))
	if len(days) != 2 {
		t.Fatalf("days %+v", days)
	}
	for _, d := range days {
		if d.Span != SpanDay || !d.Start.Equal(time.Date(2024, 3, 9, 20, 30, 0, 0, time.UTC)) {
			t.Errorf("day %v %v", d.Span, d.Start)
		}
		if d.Client == subA && (d.Messages().Messages() != 4 || d.Messages().Failures != 1 || d.ProducerLog.Messages() != 3) {
			t.Errorf("A day %+v", d.Messages())
		}
	}
}

// within checks a quantile against the true value, allowing the
// histogram's error.
func within(t *testing.T, what string, h *Histogram, q, want float64) {
	t.Helper()
	got, ok := h.Quantile(q)
	if !ok || math.Abs(got-want) > want*HistogramError+0.5 {
		t.Errorf("%s = %v (%v), want %v ± %.2f%%", what, got, ok, want, 100*HistogramError)
	}
}

// TestReimportDigest: the same records give the same digest whatever their
// layout, compression, order or the bad records around them; other records
// give another.
func TestReimportDigest(t *testing.T) {
	plain := fixture(t, "opmon-protocol.json")
	_, rep, err := readAll(t, plain, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, again, _ := readAll(t, gz(t, plain), Options{})
	if again.Digest != rep.Digest {
		t.Error("gzip changes the digest")
	}
	// The same records as JSON Lines, in reverse order, without the bad ones
	// and the duplicate.
	lines := recordLines(t, plain)
	good := []string{}
	for i, l := range lines {
		if i+1 <= 8 && i+1 != 5 || i+1 >= 15 {
			good = append([]string{l}, good...)
		}
	}
	_, rev, err := readAll(t, []byte(strings.Join(good, "\n")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rev.Format != FormatLines || rev.Accepted != 9 || rev.Digest != rep.Digest {
		t.Errorf("reordered lines: format %s accepted %d, digest equal %v", rev.Format, rev.Accepted, rev.Digest == rep.Digest)
	}
	_, fewer, _ := readAll(t, []byte(strings.Join(good[1:], "\n")), Options{})
	if fewer.Digest == rep.Digest {
		t.Error("a record less, same digest")
	}
	changed := strings.Replace(string(plain), `"responseSize": 640`, `"responseSize": 641`, 1)
	_, other, _ := readAll(t, []byte(changed), Options{})
	if other.Digest == rep.Digest {
		t.Error("a changed size, same digest")
	}
}

// recordLines splits the fixture (one record per line) into its records.
func recordLines(t *testing.T, data []byte) []string {
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSuffix(strings.TrimSpace(l), ",")
		if strings.HasPrefix(l, "{\"monitoring") || l == "null" {
			out = append(out, l)
		}
	}
	if len(out) != 16 {
		t.Fatalf("%d lines", len(out))
	}
	return out
}

func TestLayouts(t *testing.T) {
	lines := recordLines(t, fixture(t, "opmon-protocol.json"))
	body := strings.Join(lines, ",\n")
	for name, in := range map[string]string{
		"array":                    "[" + body + "]",
		"lines":                    strings.Join(lines, "\n") + "\n",
		"wrapper extras":           `{"nextRecordsFrom": 1710052900, "meta": {"a": [1, 2, {"b": null}]}, "records": [` + body + `], "x": true}`,
		"two wrappers":             `{"records": [` + strings.Join(lines[:8], ",") + `]}` + "\n" + `{"records": [` + strings.Join(lines[8:], ",") + `]}`,
		"byte-order mark":          "\xEF\xBB\xBF" + `{"records": [` + body + `]}`,
		"lines, unknown first key": strings.ReplaceAll(strings.Join(lines, "\n"), `{"monitoringDataTs"`, `{"id": {"x": [1]}, "monitoringDataTs"`),
	} {
		t.Run(name, func(t *testing.T) {
			_, rep, err := readAll(t, []byte(in), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Records != 16 || rep.Accepted != 9 || rep.Bad != 6 || rep.Duplicates != 1 {
				t.Errorf("records %d accepted %d bad %d dup %d", rep.Records, rep.Accepted, rep.Bad, rep.Duplicates)
			}
		})
	}
	// Empty inputs.
	if _, rep, err := readAll(t, []byte(`{"records": []}`), Options{}); err != nil || rep.Records != 0 || rep.Digest == "" {
		t.Errorf("empty records: %v %+v", err, rep)
	}
	if _, _, err := readAll(t, []byte("  \n"), Options{}); err == nil {
		t.Error("blank input accepted")
	}
}

func TestSyntaxErrors(t *testing.T) {
	lines := recordLines(t, fixture(t, "opmon-protocol.json"))
	good := strings.Join(lines[:3], ",")
	for name, tc := range map[string]struct {
		in     string
		record int64
		offset int64
	}{
		"missing comma": {`{"records": [` + good + ` ` + lines[3] + `]}`, 3, int64(len(`{"records": [`+good) + 1)},
		"bad literal":   {`{"records": [` + good + `, {"succeeded": tru}]}`, 4, int64(len(`{"records": [` + good + `, {"succeeded": tru`))},
		"cut short":     {`{"records": [` + good + `, {"a": "b`, 4, -1},
		"cut after":     {`{"records": [` + good, 3, -1},
		"trailing":      {`{"records": [` + good + `,]}`, 4, int64(len(`{"records": [` + good + `,`))},
		"control char":  {`{"records": [{"messageUserId": "a` + "\x01" + `b"}]}`, 1, int64(len(`{"records": [{"messageUserId": "a`))},
		"not json":      {`hello`, 0, 0},
		"records value": {`{"records": {}}`, 0, int64(len(`{"records": `))},
	} {
		t.Run(name, func(t *testing.T) {
			recs, rep, err := readAll(t, []byte(tc.in), Options{})
			var se *StreamError
			if !errors.As(err, &se) {
				t.Fatalf("err %v", err)
			}
			if se.Record != tc.record || (tc.offset >= 0 && se.Offset != tc.offset) || se.Message.FA == "" {
				t.Errorf("error %+v (%v); want record %d offset %d", se, se, tc.record, tc.offset)
			}
			if rep.Digest != "" {
				t.Error("digest after a stream error")
			}
			if tc.record > 1 && len(recs) == 0 {
				t.Error("records before the error not handed out")
			}
		})
	}
}

// TestLinesRecover: in JSON Lines a broken line is a bad record and
// reading goes on.
func TestLinesRecover(t *testing.T) {
	lines := recordLines(t, fixture(t, "opmon-protocol.json"))
	in := lines[0] + "\n" + `{"requestInTs": 17100495, "broken` + "\n" + lines[1] + "\n" + `{"a": 1} trailing` + "\n" + lines[2] + "\n" + strings.Repeat("x", 300) + "\n" + lines[14]
	_, rep, err := readAll(t, []byte(in), Options{MaxRecordBytes: 256 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted != 4 || rep.BadBy[ProblemSyntax] != 3 || rep.BadBy[ProblemMissing] != 1 {
		t.Errorf("accepted %d bad %v %+v", rep.Accepted, rep.BadBy, rep.Problems)
	}
	if rep.Problems[0].Number != 2 || rep.Problems[0].Code != ProblemSyntax {
		t.Errorf("first problem %+v", rep.Problems[0])
	}
	// A line over the record limit is a bad record too.
	big := lines[0] + "\n" + `{"x": "` + strings.Repeat("y", 5000) + `"}` + "\n" + lines[1]
	_, rep, err = readAll(t, []byte(big), Options{MaxRecordBytes: 2048})
	if err != nil || rep.Accepted != 2 || rep.BadBy[ProblemTooLarge] != 1 {
		t.Errorf("too large: %v accepted %d %v", err, rep.Accepted, rep.BadBy)
	}
	// In an array the same is the end of the read.
	_, _, err = readAll(t, []byte(`[`+lines[0]+`, {"x": "`+strings.Repeat("y", 5000)+`"}]`), Options{MaxRecordBytes: 2048})
	if err == nil {
		t.Error("oversized record in an array accepted")
	}
}

// TestOpenData reads records in the anonymised open-data form: no
// monitoringDataTs, securityServerInternalIp, messageUserId or
// messageIssue, requestInTs rounded to the hour, requestInDate added.
func TestOpenData(t *testing.T) {
	in := `{"records": [
{"requestInTs": 1710046800000, "requestInDate": "2024-03-10", "securityServerType": "Client", "requestOutTs": 1710049500005, "responseInTs": 1710049500115, "responseOutTs": 1710049500120, "clientXRoadInstance": "IR", "clientMemberClass": "GOV", "clientMemberCode": "1001", "clientSubsystemCode": "sabt", "serviceXRoadInstance": "IR", "serviceMemberClass": "GOV", "serviceMemberCode": "2001", "serviceSubsystemCode": "estelam", "serviceCode": "getPerson", "serviceVersion": "v1", "requestSize": 1210, "responseSize": 3400, "succeeded": true, "serviceType": "WSDL"},
{"requestInTs": 1710046800000, "requestInDate": "2024-03-10", "securityServerType": "Producer", "requestOutTs": 1710049500012, "responseInTs": 1710049500108, "responseOutTs": 1710049500110, "clientXRoadInstance": "IR", "clientMemberClass": "GOV", "clientMemberCode": "1001", "clientSubsystemCode": "sabt", "serviceXRoadInstance": "IR", "serviceMemberClass": "GOV", "serviceMemberCode": "2001", "serviceSubsystemCode": "estelam", "serviceCode": "getPerson", "serviceVersion": "v1", "requestSize": 1210, "responseSize": 3400, "succeeded": true, "serviceType": "WSDL"},
{"requestInTs": 1710046800000, "requestInDate": "2024-03-10", "securityServerType": "Client", "requestOutTs": 1710049600005, "responseInTs": 1710049600115, "responseOutTs": 1710049600120, "clientXRoadInstance": "IR", "clientMemberClass": "GOV", "clientMemberCode": "1001", "clientSubsystemCode": "sabt", "serviceXRoadInstance": "IR", "serviceMemberClass": "GOV", "serviceMemberCode": "2001", "serviceSubsystemCode": "estelam", "serviceCode": "getPerson", "serviceVersion": "v1", "requestSize": 1210, "responseSize": 3400, "succeeded": true, "serviceType": "WSDL"},
{"requestInTs": 1710046800000, "requestInDate": "2024-03-10", "securityServerType": "Client", "requestOutTs": 1710049600005, "responseInTs": 1710049600115, "responseOutTs": 1710049600120, "clientXRoadInstance": "IR", "clientMemberClass": "GOV", "clientMemberCode": "1001", "clientSubsystemCode": "sabt", "serviceXRoadInstance": "IR", "serviceMemberClass": "GOV", "serviceMemberCode": "2001", "serviceSubsystemCode": "estelam", "serviceCode": "getPerson", "serviceVersion": "v1", "requestSize": 1210, "responseSize": 3400, "succeeded": true, "serviceType": "WSDL"}
]}`
	for name, data := range map[string][]byte{"plain": []byte(in), "gzip": gz(t, []byte(in))} {
		t.Run(name, func(t *testing.T) {
			m, rep := aggregate(t, data, Options{})
			// Records 3 and 4 are alike and carry no id: two messages, not a
			// duplicate.
			if rep.Accepted != 4 || rep.Duplicates != 0 || rep.OpenData != 4 || rep.Untimed != 0 {
				t.Fatalf("report %+v", rep)
			}
			// 1710046800000 is 05:00 UTC, in the Tehran hour from 04:30 UTC.
			a := m[key(time.Date(2024, 3, 10, 4, 30, 0, 0, time.UTC), subA, svc1)]
			if a == nil {
				t.Fatalf("aggregates %v", m)
			}
			if a.Side() != SideClient || a.Messages().Messages() != 3 || a.ProducerLog.Messages() != 1 {
				t.Errorf("side %v messages %d producer %d", a.Side(), a.Messages().Messages(), a.ProducerLog.Messages())
			}
			// Durations come from requestOutTs to responseInTs: 110 ms.
			within(t, "open p50", &a.ClientLog.Durations, 0.5, 110)
			within(t, "open producer p50", &a.ProducerLog.Durations, 0.5, 96)
		})
	}
}

func TestValuesAndEscapes(t *testing.T) {
	// Escaped identity parts (Persian subsystem code), member-level client,
	// a number with an exponent, a duplicate key (the last wins), unknown
	// nested fields.
	in := `[{"securityServerType": "producer", "requestInTs": 1.7100495e12, "clientXRoadInstance": "IR", "clientMemberClass": "GOV", "clientMemberCode": "1001",
"serviceXRoadInstance": "IR", "serviceMemberClass": "GOV", "serviceMemberCode": "2001", "serviceSubsystemCode": "\u062b\u0628\u062a", "serviceCode": "get\/x", "succeeded": false,
"succeeded": true, "extra": {"deep": [[[]]], "n": -1.5e-3}, "\u0072equestSize": 10}]`
	recs, rep, err := readAll(t, []byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// "get/x" holds a slash: refused as an identifier.
	if rep.Bad != 1 || rep.Problems[0].Field != "serviceCode" {
		t.Fatalf("report %+v", rep)
	}
	ok := strings.Replace(in, `get\/x`, `getX`, 1)
	recs, rep, err = readAll(t, []byte(ok), Options{})
	if err != nil || len(recs) != 1 {
		t.Fatalf("%v %+v", err, rep)
	}
	r := recs[0]
	if r.Service.Provider.Code != "ثبت" || r.Client.Code != "" || r.Client.String() != "IR/GOV/1001" || r.RequestIn != 1710049500000 ||
		!r.Succeeded || r.RequestSize != 10 || r.Side != SideProducer || r.HasID {
		t.Errorf("record %+v", r)
	}
	for _, tc := range []struct{ in, field string }{
		{`"responseSize": -1`, "responseSize"},
		{`"responseSize": 1.5`, "responseSize"},
		{`"statusCode": 1000`, "statusCode"},
		{`"requestOutTs": "x"`, "requestOutTs"},
		{`"clientMemberCode": 1001`, "clientMemberCode"},
		{`"responseOutTs": 99`, "responseOutTs"},
		{`"clientMemberCode": "  "`, "clientMemberCode"},
	} {
		bad := strings.Replace(ok, `"extra"`, tc.in+`, "extra"`, 1)
		_, rep, err := readAll(t, []byte(bad), Options{})
		if err != nil || rep.Bad != 1 || rep.Problems[0].Field != tc.field {
			t.Errorf("%s: %v %+v", tc.in, err, rep.Problems)
		}
	}
}

func TestUnknownIdentities(t *testing.T) {
	known := func(s Subsystem) bool { return s == subA || s == svc1.Provider }
	_, rep, err := readAll(t, fixture(t, "opmon-protocol.json"), Options{Known: known})
	if err != nil {
		t.Fatal(err)
	}
	// Records 7 and 8 name subB and svc2's provider, both unknown; they are
	// still taken.
	if rep.Accepted != 9 || rep.UnknownRecords != 2 || len(rep.Unknown) != 2 {
		t.Fatalf("report %+v", rep)
	}
	u := rep.Unknown[0]
	if u.Subsystem != subB || u.Role != "client" || u.Records != 2 || u.FirstRecord != 7 {
		t.Errorf("unknown %+v", u)
	}
	if rep.Unknown[1].Subsystem != svc2.Provider || rep.Unknown[1].Role != "provider" {
		t.Errorf("unknown %+v", rep.Unknown[1])
	}
}

func TestDamagedGzip(t *testing.T) {
	z := gz(t, fixture(t, "opmon-protocol.json"))
	cut := z[:len(z)/2]
	_, _, err := readAll(t, cut, Options{})
	var se *StreamError
	if !errors.As(err, &se) || se.Message.EN == "" {
		t.Fatalf("cut gzip: %v", err)
	}
	bad := bytes.Clone(z)
	bad[len(bad)-6] ^= 0xff // the CRC
	if _, _, err := readAll(t, bad, Options{}); err == nil {
		t.Error("bad checksum accepted")
	}
	if _, err := NewReader(bytes.NewReader([]byte{0x1f, 0x8b, 0}), Options{}); err == nil {
		t.Error("bad gzip header accepted")
	}
}

// TestCloseEarly stops a gzip read midway; the goroutine must end.
func TestCloseEarly(t *testing.T) {
	before := runtime.NumGoroutine()
	big := bytes.Repeat(fixture(t, "opmon-protocol.json"), 200) // more than the pipe holds
	r, err := NewReader(bytes.NewReader(gz(t, big)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Next() {
		t.Fatal(r.Err())
	}
	r.Close()
	if r.Next() {
		t.Error("Next after Close")
	}
	for i := 0; runtime.NumGoroutine() > before; i++ {
		if i == 100 {
			t.Fatalf("%d goroutines, %d before", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSmallReads feeds the reader a byte at a time: every refill path runs.
func TestSmallReads(t *testing.T) {
	data := fixture(t, "opmon-protocol.json")
	r, err := NewReader(iotest{bytes.NewReader(data)}, Options{MaxRecordBytes: 4096})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r.Next() {
		n++
	}
	if r.Err() != nil || n != 9 || r.Report().Bad != 6 {
		t.Errorf("%v %d %+v", r.Err(), n, r.Report())
	}
}

type iotest struct{ r io.Reader }

func (o iotest) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	return o.r.Read(p)
}
