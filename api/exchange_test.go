package api_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// Markers planted in every personal or sensitive field of the records
// (exchange/record.go says what is kept): none may be stored, logged or
// shown.
var privateMarkers = []string{"PRIVUSER4471", "PRIVISSUE4471", "PRIVPARTYCLASS", "PRIVPARTY4471", "10.44.71.9", "PRIVMSGID4471",
	"PRIVXREQ4471", "PRIVFAULTSTRING", "PRIVRESTPATH", "198.51.100.47", "PRIVUSER4472"}

func exchangeRecord(n int, side string, ok bool) string {
	return fmt.Sprintf(`{"monitoringDataTs":1727245805,"securityServerInternalIp":"10.44.71.9","securityServerType":%q,
 "requestInTs":%d,"requestOutTs":%d,"responseInTs":%d,"responseOutTs":%d,
 "clientXRoadInstance":"IR","clientMemberClass":"GOV","clientMemberCode":"MOH","clientSubsystemCode":"rx",
 "serviceXRoadInstance":"IR","serviceMemberClass":"GOV","serviceMemberCode":"ITO","serviceSubsystemCode":"gsb",
 "serviceCode":"inquiry","serviceVersion":"v1","serviceType":"REST","restMethod":"GET","restPath":"/PRIVRESTPATH/%d",
 "clientSecurityServerAddress":"198.51.100.47","serviceSecurityServerAddress":"198.51.100.47",
 "messageId":"PRIVMSGID4471-%d","xRequestId":"PRIVXREQ4471-%d","messageUserId":"PRIVUSER4471","messageIssue":"PRIVISSUE4471",
 "representedPartyClass":"PRIVPARTYCLASS","representedPartyCode":"PRIVPARTY4471","faultString":"PRIVFAULTSTRING",
 "requestSize":310,"responseSize":1200,"succeeded":%v,"statusCode":200}`,
		side, 1719800000000+int64(n)*1000, 1719800000010+int64(n)*1000, 1719800000100+int64(n)*1000, 1719800000110+int64(n)*1000, n, n, n, ok)
}

// exchangeFile is a telemetry file of n messages logged by both servers, one bad
// record carrying a marker where a value belongs, and an unknown identity.
func exchangeFile(n int) string {
	var b strings.Builder
	b.WriteString(`{"records":[`)
	for i := range n {
		b.WriteString(exchangeRecord(i, "Client", i%10 != 0) + ",\n" + exchangeRecord(i, "Producer", i%10 != 0) + ",\n")
	}
	b.WriteString(`{"securityServerType":"Client","requestInTs":"PRIVUSER4472","succeeded":true,"messageUserId":"PRIVUSER4472"},` + "\n")
	b.WriteString(strings.Replace(exchangeRecord(n+1, "Client", true), `"clientMemberCode":"MOH"`, `"clientMemberCode":"NEW9"`, 1))
	b.WriteString("]}")
	return b.String()
}

// TestExchangePush: the exchange operator's token pushes telemetry (plain
// or gzip): 201 with the import report naming the bad record and the
// unknown identity; the same records again, 200 and nothing changed; a
// body that is neither JSON nor gzip, or breaks off, is 422 problem+json
// and changes nothing. The exchange role may do nothing else; a reader
// may not push. Then a project's declared integration shows the traffic,
// and a stale edit of the declaration is refused. Finally the privacy
// scan: no marker of the personal fields in any answer, the server's log
// or the database.
func TestExchangePush(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(2).FollowUp("2024-07-10")
		srv := newAPI(env)
		sec := srv.Secretariat()
		ex := env.Token(service.RoleExchange, "")
		reader := env.Token(service.RoleReader, "")
		var answers bytes.Buffer
		var bodies [][]byte
		do := func(rq scenario.Request) *scenario.Response {
			r := srv.Do(rq)
			bodies = append(bodies, r.Body)
			fmt.Fprintf(&answers, "%s %s\n", r.Header, r.Body)
			return r
		}
		srv.Must(do(scenario.Request{Method: "POST", Path: "/api/v1/exchange/identities", Token: sec,
			Body: map[string]any{"identity": map[string]any{"instance": "IR", "class": "GOV", "code": "MOH", "subsystem": "rx"}, "agency": "moh"}}), 201)
		srv.Must(do(scenario.Request{Method: "POST", Path: "/api/v1/exchange/identities", Token: sec,
			Body: map[string]any{"identity": map[string]any{"instance": "IR", "class": "GOV", "code": "ITO", "subsystem": "gsb"}, "agency": "ito"}}), 201)
		do(scenario.Request{Method: "POST", Path: "/api/v1/exchange/identities", Token: sec,
			Body: map[string]any{"identity": map[string]any{"instance": "IR", "class": "GOV", "code": "a/b"}, "agency": "ito"}}).Field(t, 422, "identity.code")
		decl := srv.Must(do(scenario.Request{Method: "POST", Path: "/api/v1/projects/p0/integrations", Token: sec, Body: map[string]any{
			"integration": map[string]any{"client": map[string]any{"instance": "IR", "class": "GOV", "code": "MOH", "subsystem": "rx"},
				"service": map[string]any{"provider": map[string]any{"instance": "IR", "class": "GOV", "code": "ITO", "subsystem": "gsb"}, "code": "inquiry"}}}}), 201)
		etag := decl.Header.Get("ETag")
		id := fmt.Sprint(decl.At(t, "id"))

		file := exchangeFile(40)
		push := func(body []byte, token, ct string) *scenario.Response {
			return do(scenario.Request{Method: "POST", Path: "/api/v1/exchange/imports", Token: token, Body: body, Header: map[string]string{"Content-Type": ct}})
		}
		push([]byte(file), reader, "application/json").Problem(t, 403)
		push([]byte(file), "", "application/json").Problem(t, 401)
		push([]byte("this is not telemetry"), ex, "application/json").Field(t, 422, "file")
		push([]byte(file[:len(file)/2]), ex, "application/json").Field(t, 422, "file")
		r := srv.Must(push([]byte(file), ex, "application/json"), 201)
		if r.At(t, "repeat") != false || r.At(t, "report", "records") != float64(82) || r.At(t, "report", "bad") != float64(1) ||
			r.At(t, "report", "problems", 0, "record") != float64(81) || r.At(t, "report", "unknown_records") != float64(1) ||
			r.At(t, "report", "unknown", 0, "subsystem", "code") != "NEW9" {
			t.Fatalf("push: %s", r)
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write([]byte(file))
		zw.Close()
		again := srv.Must(push(gz.Bytes(), ex, "application/gzip"), 200)
		if again.At(t, "repeat") != true || again.At(t, "report", "digest") != r.At(t, "report", "digest") {
			t.Errorf("gzip re-push: %s", again)
		}
		do(scenario.Request{Method: "GET", Path: "/api/v1/exchange/identities", Token: ex}).Problem(t, 403)
		do(scenario.Request{Method: "POST", Path: "/api/v1/projects/p0/integrations", Token: ex, Body: map[string]any{}}).Problem(t, 403)

		js := srv.Must(do(scenario.Request{Method: "GET", Path: "/api/v1/projects/p0/integrations"}), 200)
		st := js.At(t, "items", 0, "status")
		if scenario.Path(t, st, "state") != "live" || scenario.Path(t, st, "successes") != float64(36) || scenario.Path(t, st, "failures") != float64(4) {
			t.Errorf("status: %v", st)
		}
		do(scenario.Request{Method: "PUT", Path: "/api/v1/projects/p0/integrations/" + id, Token: sec, Body: map[string]any{"policy": map[string]any{"silent_days": 30}},
			Header: map[string]string{"If-Match": etag}})
		do(scenario.Request{Method: "PUT", Path: "/api/v1/projects/p0/integrations/" + id, Token: sec, Body: map[string]any{"policy": map[string]any{"silent_days": 20}},
			Header: map[string]string{"If-Match": etag}}).Problem(t, 412)
		do(scenario.Request{Method: "PUT", Path: "/api/v1/projects/p1/integrations/" + id, Token: sec, Body: map[string]any{},
			Header: map[string]string{"If-Match": etag}}).Problem(t, 404)

		// The API's own field names are snake_case, in answers and in
		// bodies: X-Road's camelCase is refused, naming the field.
		srv.Must(do(scenario.Request{Method: "GET", Path: "/api/v1/exchange/identities", Token: sec}), 200)
		srv.Must(do(scenario.Request{Method: "GET", Path: "/api/v1/exchange/services", Token: sec}), 200)
		srv.Must(do(scenario.Request{Method: "GET", Path: "/api/v1/projects/p0/integrations", Token: sec}), 200)
		do(scenario.Request{Method: "POST", Path: "/api/v1/projects/p1/integrations", Token: sec, Body: map[string]any{
			"integration": map[string]any{"client": map[string]any{"instance": "IR", "class": "GOV", "code": "MOH", "subsystem": "rx"},
				"service": map[string]any{"provider": map[string]any{"instance": "IR", "class": "GOV", "code": "ITO", "subsystem": "gsb"}, "code": "inquiry"}},
			"policy": map[string]any{"silentDays": 5}}}).Field(t, 400, "silentDays")
		do(scenario.Request{Method: "POST", Path: "/api/v1/projects/p1/integrations", Token: sec, Body: map[string]any{
			"integration": map[string]any{"client": map[string]any{"instance": "IR", "class": "GOV", "code": "MOH", "subsystem": "rx"},
				"service": map[string]any{"provider": map[string]any{"instance": "IR", "class": "GOV", "code": "ITO", "subsystem": "gsb"}, "code": "inquiry"}},
			"policy": map[string]any{"silent_days": 500}}}).Field(t, 422, "policy.silent_days")
		keys := map[string]bool{}
		for _, b := range bodies {
			var v any
			if json.Unmarshal(b, &v) == nil {
				jsonKeys(v, keys)
			}
		}
		for _, k := range []string{"as_of", "first_success", "failure_rate", "client_agency", "unknown_records", "client_records", "silent_days", "max_failure_rate"} {
			if !keys[k] {
				t.Errorf("no answer names %s: the check below proves nothing", k)
			}
		}
		for k := range keys {
			if strings.ToLower(k) != k {
				t.Errorf("the field %q is not snake_case", k)
			}
		}

		// Privacy: answers, log, database.
		for _, m := range privateMarkers {
			if strings.Contains(answers.String(), m) {
				t.Errorf("an answer shows %s", m)
			}
			if strings.Contains(env.Log.String(), m) {
				t.Errorf("the log holds %s", m)
			}
		}
		scanDatabase(t, env.DB, privateMarkers)
	})
}

// jsonKeys gathers every object key in v.
func jsonKeys(v any, into map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			into[k] = true
			jsonKeys(e, into)
		}
	case []any:
		for _, e := range x {
			jsonKeys(e, into)
		}
	}
}

// scanDatabase reads every row of every table as text, and on SQLite the
// database's files too, and fails on any marker.
func scanDatabase(t *testing.T, db *store.DB, markers []string) {
	t.Helper()
	_, read := db.Pools()
	var tablesQ string
	if db.Engine() == store.Postgres {
		tablesQ = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	} else {
		tablesQ = `SELECT name FROM sqlite_master WHERE type = 'table'`
	}
	rows, err := read.Query(tablesQ)
	testkit.Must(t, err)
	var tables []string
	for rows.Next() {
		var n string
		testkit.Must(t, rows.Scan(&n))
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) < 20 {
		t.Fatalf("only %d tables found", len(tables))
	}
	var dump bytes.Buffer
	for _, tb := range tables {
		rs, err := read.Query(`SELECT * FROM "` + tb + `"`)
		testkit.Must(t, err)
		cols, _ := rs.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rs.Next() {
			testkit.Must(t, rs.Scan(ptrs...))
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					dump.Write(b)
				} else {
					fmt.Fprint(&dump, v)
				}
				dump.WriteByte(' ')
			}
		}
		rs.Close()
	}
	if !bytes.Contains(dump.Bytes(), []byte("NEW9")) || !bytes.Contains(dump.Bytes(), []byte("inquiry")) {
		t.Fatal("the dump misses what was imported: the scan proves nothing")
	}
	if db.Engine() != store.Postgres {
		if p, err := db.Path(t.Context()); err == nil {
			for _, f := range []string{p, p + "-wal"} {
				if b, err := os.ReadFile(f); err == nil {
					dump.Write(b)
				}
			}
		}
	}
	for _, m := range markers {
		if bytes.Contains(dump.Bytes(), []byte(m)) {
			t.Errorf("the database holds %s", m)
		}
	}
}
