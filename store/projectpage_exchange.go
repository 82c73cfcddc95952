package store

import (
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
)

// The exchange's evidence on a project's page (issue 15) within the page's
// read budget (issue 12): the project's declared integrations come in the
// page's own statement (projectPageSQL's last column), and what judging
// them needs — the traffic of the pairs they cover and the agencies their
// ends are mapped to — in two more statements whatever their number, none
// for a project that declares nothing.

// declaredRows is the page statement's column of declared integrations.
func declaredRows(e Engine) string {
	return jsonRows(e, textCols(e, "i.id", "i.client", "i.service", "i.service_version", "COALESCE(i.milestone_id, 0)", "i.window_days",
		"i.max_failure_rate", "i.min_messages", "i.silent_days", "i.note_fa", "i.note_en", "i.version"),
		"exchange_integrations i WHERE i.project_id = p.id", "i.id")
}

// declaredOf reads declaredRows.
func declaredOf(slug, col string) ([]*exchange.Declared, error) {
	rows, err := parseRows(col)
	if err != nil {
		return nil, err
	}
	out := make([]*exchange.Declared, 0, len(rows))
	for _, r := range rows {
		d := &exchange.Declared{Project: slug}
		d.ID, _ = strconv.ParseInt(field(r, 0), 10, 64)
		if d.Integration.Client, err = exchange.ParseSubsystem(field(r, 1)); err != nil {
			return nil, err
		}
		if d.Integration.Service, err = exchange.ParseService(field(r, 2)); err != nil {
			return nil, err
		}
		d.Integration.Service.Version = field(r, 3)
		if ms, _ := strconv.ParseInt(field(r, 4), 10, 64); ms > 0 {
			d.Milestone = &ms
		}
		d.Policy.Window, _ = strconv.Atoi(field(r, 5))
		d.Policy.MaxFailureRate, _ = strconv.ParseFloat(field(r, 6), 64)
		d.Policy.MinMessages, _ = strconv.ParseUint(field(r, 7), 10, 64)
		d.Policy.SilentDays, _ = strconv.Atoi(field(r, 8))
		d.Note.FA, d.Note.EN = field(r, 9), field(r, 10)
		d.Version, _ = strconv.ParseInt(field(r, 11), 10, 64)
		out = append(out, d)
	}
	return out, nil
}

// TrafficOfAll is TrafficOf for several integrations in one statement:
// out[i] is what TrafficOf(ins[i], since[i]) answers.
func (t *Tx) TrafficOfAll(ins []exchange.Integration, since []time.Time) ([][]exchange.Aggregate, error) {
	out := make([][]exchange.Aggregate, len(ins))
	if len(ins) == 0 {
		return out, nil
	}
	days := make([]string, len(ins))
	first := ""
	var where []string
	args := []any{nil}
	for i, in := range ins {
		days[i] = exchange.DayOf(since[i]).String()
		if first == "" || days[i] < first {
			first = days[i]
		}
		c := "(p.client = ? AND p.service = ?"
		args = append(args, in.Client.String(), serviceBase(in.Service))
		if in.Service.Version != "" {
			c += " AND p.service_version = ?"
			args = append(args, in.Service.Version)
		}
		where = append(where, c+")")
	}
	args[0] = first
	rows, err := t.query(`SELECT p.id, p.client, p.service, p.service_version, p.first_seen, p.last_seen, p.first_success, p.last_success,
		d.day, d.start_ms, d.client_log, d.producer_log
		FROM exchange_pairs p LEFT JOIN exchange_days d ON d.pair_id = p.id AND d.day >= ?
		WHERE `+strings.Join(where, " OR ")+` ORDER BY p.id, d.day`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	lastPair := make([]int64, len(ins))
	for rows.Next() {
		var (
			id               int64
			client, svc, ver string
			marks            exchange.Stats
			day              sql.NullString
			start            sql.NullInt64
			cl, pl           []byte
			dayAgg           *exchange.Aggregate
		)
		if err := rows.Scan(&id, &client, &svc, &ver, &marks.FirstSeen, &marks.LastSeen, &marks.FirstSuccess, &marks.LastSuccess,
			&day, &start, &cl, &pl); err != nil {
			return nil, err
		}
		for i, in := range ins {
			if client != in.Client.String() || svc != serviceBase(in.Service) || (in.Service.Version != "" && ver != in.Service.Version) {
				continue
			}
			s := in.Service
			s.Version = ver
			if id != lastPair[i] {
				lastPair[i] = id
				out[i] = append(out[i], exchange.Aggregate{Span: exchange.SpanTotal, Client: in.Client, Service: s, ClientLog: marks})
			}
			if !start.Valid || day.String < days[i] {
				continue
			}
			if dayAgg == nil {
				dayAgg = &exchange.Aggregate{Span: exchange.SpanDay, Start: time.UnixMilli(start.Int64).UTC()}
				if err := decodeStats(cl, &dayAgg.ClientLog); err != nil {
					return nil, err
				}
				if err := decodeStats(pl, &dayAgg.ProducerLog); err != nil {
					return nil, err
				}
			}
			a := *dayAgg
			a.Client, a.Service = in.Client, s
			out[i] = append(out[i], a)
		}
	}
	return out, rows.Err()
}

// AgencyRef is an agency by code, with its name.
type AgencyRef struct {
	Code string
	Name domain.Text
}

// AgenciesOf names the agencies the identities are mapped to, by the
// identity's path form, in one statement; an unmapped identity is left
// out.
func (t *Tx) AgenciesOf(ids []exchange.Subsystem) (map[string]AgencyRef, error) {
	out := map[string]AgencyRef{}
	if len(ids) == 0 {
		return out, nil
	}
	var where []string
	var args []any
	for _, s := range ids {
		where = append(where, "(s.instance = ? AND s.member_class = ? AND s.member_code = ? AND s.subsystem = ?)")
		args = append(args, subsystemArgs(s)...)
	}
	rows, err := t.query(`SELECT s.instance, s.member_class, s.member_code, s.subsystem, a.code, a.name_fa, a.name_en
		FROM exchange_subsystems s JOIN agencies a ON a.id = s.agency_id WHERE `+strings.Join(where, " OR "), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s exchange.Subsystem
		var a AgencyRef
		if err := rows.Scan(&s.Instance, &s.Class, &s.Member.Code, &s.Code, &a.Code, &a.Name.FA, &a.Name.EN); err != nil {
			return nil, err
		}
		out[s.String()] = a
	}
	return out, rows.Err()
}
