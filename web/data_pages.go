package web

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

type dataView struct {
	Datasets []Dataset
	Hidden   int
}

// dataIndex lists the datasets. It reads only the lists' counts: the
// files themselves are read when downloaded, each with its own as-of time.
func (s *Site) dataIndex(q *req) error {
	hidden, err := hiddenOnLists(q.Context(), s, q.actor)
	if err != nil {
		return err
	}
	return s.render(q, http.StatusOK, "data", q.lang.T("data.title"), "data", dataView{Datasets: datasets, Hidden: hidden})
}

// allColumns is a dataset's columns followed by as_of.
func allColumns(d *Dataset) []Column {
	return append(slices.Clone(d.Columns), asOfColumn)
}

type dictionaryView struct {
	Datasets []dictionaryEntry
	Hidden   int
}

type dictionaryEntry struct {
	Name, Title string
	Columns     []Column
}

func (s *Site) dictionary(q *req) error {
	hidden, err := hiddenOnLists(q.Context(), s, q.actor)
	if err != nil {
		return err
	}
	return s.render(q, http.StatusOK, "dictionary", q.lang.T("data.dictionary"), "data",
		dictionaryView{Datasets: dictionaryEntries(), Hidden: hidden})
}

func dictionaryEntries() []dictionaryEntry {
	out := make([]dictionaryEntry, len(datasets))
	for i := range datasets {
		out[i] = dictionaryEntry{Name: datasets[i].Name, Title: datasets[i].Title, Columns: allColumns(&datasets[i])}
	}
	return out
}

// download serves /data/{name}.{csv,json,xlsx} and /data/dictionary.csv.
func (s *Site) download(q *req) error {
	file := q.PathValue("file")
	name, ext, ok := strings.Cut(file, ".")
	if !ok {
		return notFound()
	}
	if file == "dictionary.csv" {
		return s.writeDictionaryCSV(q)
	}
	d := datasetByName(name)
	if d == nil || (ext != "csv" && ext != "json" && ext != "xlsx") {
		return notFound()
	}
	// The as-of time is taken before reading: the file holds at least
	// everything recorded up to it.
	asOf := s.opt.Now().UTC().Truncate(time.Second)
	day, err := s.asOfParam(q) // the status file's day (opendata_follow.go)
	if err != nil {
		return err
	}
	t, err := d.Load(withAsOf(withBase(q.Context(), s.baseURL(q)), day), s, q.actor)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	var ctype string
	switch ext {
	case "csv":
		ctype = "text/csv; charset=utf-8"
		err = writeCSV(&buf, d.Columns, t, asOf)
	case "json":
		ctype = "application/json"
		err = writeJSON(&buf, d, t, asOf)
	case "xlsx":
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = writeXLSX(&buf, d, t, asOf)
	}
	if err != nil {
		return err
	}
	h := q.w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", `attachment; filename="pishran-`+d.Name+"."+ext+`"`)
	h.Set("Last-Modified", asOf.Format(http.TimeFormat))
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if q.Method == http.MethodHead {
		return nil
	}
	_, err = q.w.Write(buf.Bytes())
	return err
}
