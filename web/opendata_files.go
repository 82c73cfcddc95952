package web

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/domain"
)

// utf8BOM starts every CSV file, so that Excel reads it as UTF-8 and shows
// Persian as Persian.
const utf8BOM = "\uFEFF"

func writeCSV(w *bytes.Buffer, cols []Column, t *Table, asOf time.Time) error {
	w.WriteString(utf8BOM)
	cw := csv.NewWriter(w)
	head := make([]string, 0, len(cols)+1)
	for _, c := range cols {
		head = append(head, c.Name)
	}
	if err := cw.Write(append(head, asOfColumn.Name)); err != nil { // names of ours: nothing to neutralise
		return err
	}
	stamp := asOf.Format(time.RFC3339)
	rec := make([]string, len(cols)+1)
	for _, row := range t.Rows {
		for i, v := range row {
			rec[i] = csvSafe(cellText(v))
		}
		rec[len(cols)] = stamp
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonFile is the JSON download: the rows with what they are and when.
type jsonFile struct {
	Dataset      string          `json:"dataset"`
	Title        domain.Text     `json:"title"`
	AsOf         string          `json:"as_of"`
	Confidential int             `json:"confidential_not_listed"`
	Count        int             `json:"count"`
	Columns      []jsonColumn    `json:"columns"`
	Items        []orderedObject `json:"items"`
}

type jsonColumn struct {
	Name        string      `json:"name"`
	Type        string      `json:"type"`
	Description domain.Text `json:"description"`
}

// orderedObject is a row as a JSON object whose keys keep the columns'
// order.
type orderedObject struct {
	keys []string
	vals []any
}

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(o.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeJSON(w *bytes.Buffer, d *Dataset, t *Table, asOf time.Time) error {
	f := jsonFile{Dataset: d.Name, Title: catalog[d.Title], AsOf: asOf.Format(time.RFC3339),
		Confidential: t.Hidden, Count: len(t.Rows), Items: make([]orderedObject, len(t.Rows))}
	keys := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		keys[i] = c.Name
		f.Columns = append(f.Columns, jsonColumn{c.Name, c.Type, c.Desc})
	}
	for i, row := range t.Rows {
		vals := make([]any, len(row))
		for j, v := range row {
			vals[j] = cellJSON(v)
		}
		f.Items[i] = orderedObject{keys: keys, vals: vals}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(f)
}

func writeXLSX(w *bytes.Buffer, d *Dataset, t *Table, asOf time.Time) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := d.Name
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	// The header row stays in view while scrolling.
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, 0, len(d.Columns)+1)
	for _, c := range d.Columns {
		head = append(head, excelize.Cell{StyleID: bold, Value: c.Name})
	}
	head = append(head, excelize.Cell{StyleID: bold, Value: asOfColumn.Name})
	if err := sw.SetRow("A1", head, excelize.RowOpts{}); err != nil {
		return err
	}
	stamp := asOf.Format(time.RFC3339)
	row := make([]any, len(d.Columns)+1)
	for i, r := range t.Rows {
		for j, v := range r {
			switch x := v.(type) {
			case int, bool:
				row[j] = x
			case *int:
				if x == nil {
					row[j] = nil
				} else {
					row[j] = *x
				}
			default:
				row[j] = cellText(v)
			}
		}
		row[len(d.Columns)] = stamp
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	// The "about" sheet: what the file is, as of when, what was left out,
	// and every column in both languages.
	about := "about"
	if _, err := f.NewSheet(about); err != nil {
		return err
	}
	title := catalog[d.Title]
	rows := [][]any{
		{"dataset", d.Name},
		{"title_fa", title.FA},
		{"title_en", title.EN},
		{"as_of", stamp},
		{"confidential_not_listed", t.Hidden},
		{"rows", len(t.Rows)},
		{},
		{"column", "type", "meaning_fa", "meaning_en"},
	}
	for _, c := range allColumns(d) {
		rows = append(rows, []any{c.Name, c.Type, c.Desc.FA, c.Desc.EN})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(about, cell, &r); err != nil {
			return err
		}
	}
	bw := bufio.NewWriter(w)
	if _, err := f.WriteTo(bw); err != nil {
		return err
	}
	return bw.Flush()
}

func (s *Site) writeDictionaryCSV(q *req) error {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"dataset", "column", "type", "meaning_fa", "meaning_en"})
	for i := range datasets {
		d := &datasets[i]
		for _, c := range allColumns(d) {
			cw.Write([]string{csvSafe(d.Name), csvSafe(c.Name), csvSafe(c.Type), csvSafe(c.Desc.FA), csvSafe(c.Desc.EN)})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	h := q.w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="pishran-dictionary.csv"`)
	h.Set("Cache-Control", "no-cache")
	if q.Method == http.MethodHead {
		return nil
	}
	_, err := q.w.Write(buf.Bytes())
	return err
}
