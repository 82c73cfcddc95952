package sheet

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Limits on what is read: a portfolio office's workbook is far smaller;
// anything bigger is refused before it costs memory.
const (
	MaxFileBytes = 32 << 20  // the uploaded file
	MaxRows      = 200_000   // rows of one sheet
	MaxColumns   = 200       // columns of one sheet
	unzipLimit   = 256 << 20 // what the XLSX may unpack to
)

// Table is one sheet as read: every cell as text, row i of Rows being the
// row Excel numbers i+1, so row numbers stay exact (blank rows included).
type Table struct {
	Name string
	Rows [][]string
	// percent reports whether a cell is formatted as a percentage: an Excel
	// cell holding 0.45 shown as 45%. Nil for CSV.
	percent func(row, col int) bool
}

// Book is a read workbook (or a CSV file, one table).
type Book struct {
	Tables   []*Table
	CSV      bool // read from CSV
	Date1904 bool // the workbook counts date serials from 1904
	raw      []byte
	file     *excelize.File // kept open for cell formats (percent cells)
}

// Close releases the workbook.
func (b *Book) Close() error {
	if b.file != nil {
		return b.file.Close()
	}
	return nil
}

// ErrTooLarge is returned for a file past MaxFileBytes or a sheet past
// MaxRows or MaxColumns.
var ErrTooLarge = errors.New("sheet: the file is too large")

// Read reads an XLSX workbook or a CSV file, telling them apart by content
// (an XLSX file is a zip archive). name is the CSV's table name, usually the
// file's name; a CSV's sheet is recognised by its headers anyway.
func Read(r io.Reader, name string) (*Book, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxFileBytes {
		return nil, ErrTooLarge
	}
	if bytes.HasPrefix(raw, []byte("PK\x03\x04")) {
		return readXLSX(raw)
	}
	return readCSV(raw, name)
}

func readXLSX(raw []byte) (*Book, error) {
	f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: 16 << 20,
	})
	if err != nil {
		return nil, fmt.Errorf("sheet: not a readable XLSX workbook: %w", err)
	}
	b := &Book{raw: raw, file: f}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		b.Date1904 = *p.Date1904
	}
	for _, name := range f.GetSheetList() {
		t, err := readSheet(f, name)
		if err != nil {
			f.Close()
			return nil, err
		}
		b.Tables = append(b.Tables, t)
	}
	return b, nil
}

// readSheet streams one worksheet's rows. Raw cell values are read, so a
// date cell gives its serial and a number its full precision, whatever the
// cell's display format.
func readSheet(f *excelize.File, name string) (*Table, error) {
	rows, err := f.Rows(name)
	if err != nil {
		if errors.As(err, new(excelize.ErrSheetNotExist)) {
			return &Table{Name: name}, nil // a chart sheet
		}
		return nil, fmt.Errorf("sheet %q: %w", name, err)
	}
	defer rows.Close()
	t := &Table{Name: name}
	for rows.Next() {
		cells, err := rows.Columns()
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %w", name, err)
		}
		if len(t.Rows) >= MaxRows || len(cells) > MaxColumns {
			return nil, fmt.Errorf("%w: sheet %q has more than %d rows or %d columns", ErrTooLarge, name, MaxRows, MaxColumns)
		}
		t.Rows = append(t.Rows, cells)
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("sheet %q: %w", name, err)
	}
	t.percent = func(row, col int) bool {
		cell, err := excelize.CoordinatesToCellName(col+1, row+1)
		if err != nil {
			return false
		}
		id, err := f.GetCellStyle(name, cell)
		if err != nil || id == 0 {
			return false
		}
		st, err := f.GetStyle(id)
		if err != nil {
			return false
		}
		return st.NumFmt == 9 || st.NumFmt == 10 || (st.CustomNumFmt != nil && strings.Contains(*st.CustomNumFmt, "%"))
	}
	return t, nil
}

// readCSV reads UTF-8 CSV, with or without a byte-order mark, separated by
// commas or (as Excel writes it in some locales) semicolons or tabs.
func readCSV(raw []byte, name string) (*Book, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(raw) {
		return nil, fmt.Errorf("sheet: the CSV file is not UTF-8 text; save it as \"CSV UTF-8\" " +
			"(فایل CSV با UTF-8 ذخیره نشده است؛ آن را با قالب «CSV UTF-8» ذخیره کنید)")
	}
	first, _, _ := bytes.Cut(raw, []byte("\n"))
	sep := ','
	if n := bytes.Count(first, []byte(";")); n > bytes.Count(first, []byte(",")) {
		sep = ';'
	}
	if n := bytes.Count(first, []byte("\t")); n > bytes.Count(first, []byte(",")) && n > bytes.Count(first, []byte(";")) {
		sep = '\t'
	}
	cr := csv.NewReader(bufio.NewReader(bytes.NewReader(raw)))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	t := &Table{Name: name}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("sheet: CSV: %w", err)
		}
		if len(t.Rows) >= MaxRows || len(rec) > MaxColumns {
			return nil, fmt.Errorf("%w: more than %d rows or %d columns", ErrTooLarge, MaxRows, MaxColumns)
		}
		t.Rows = append(t.Rows, rec)
	}
	return &Book{Tables: []*Table{t}, CSV: true, raw: raw}, nil
}
