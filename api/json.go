package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
)

// writeJSON answers v as JSON with a strong ETag over the body; a matching
// If-None-Match gets 304. version, when positive, is folded into the ETag so
// that a later If-Match can check it.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any, version int64) error {
	buf := jsonBufs.Get().(*bytes.Buffer)
	defer putJSONBuf(buf)
	buf.Reset()
	// Encode writes what Marshal would, then a newline: the answer's
	// bytes, built once in a pooled buffer rather than marshalled, cloned
	// and copied again to add the newline.
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		return err
	}
	return writeBody(w, r, status, buf.Bytes(), version)
}

// writeBody is writeJSON's answer once encoded: out is the JSON and a
// newline.
func writeBody(w http.ResponseWriter, r *http.Request, status int, out []byte, version int64) error {
	body := out[:len(out)-1]
	etag := httpx.BodyETag(body, version)
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/json")
	if status == http.StatusOK && r.Method == http.MethodGet && httpx.ETagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.WriteHeader(status)
	_, err := w.Write(out)
	return err
}

// jsonBufs are writeJSON's buffers; one grown past maxPooledJSON (a rare
// large answer) is left to the collector rather than kept.
var jsonBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledJSON = 1 << 20

func putJSONBuf(b *bytes.Buffer) {
	if b.Cap() <= maxPooledJSON {
		jsonBufs.Put(b)
	}
}

// List is a page of items with the cursor for the next page.
type List[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// writeEncodedList writes a page of items encoded already (each what
// encoding/json writes for it): the bytes writeJSON writes for their List,
// without encoding them again. The service was asked for one more than
// limit; keys are the items' cursor keys.
func writeEncodedList(w http.ResponseWriter, r *http.Request, items [][]byte, keys []string, limit int) error {
	buf := jsonBufs.Get().(*bytes.Buffer)
	defer putJSONBuf(buf)
	buf.Reset()
	next := "null"
	if len(items) > limit {
		items, next = items[:limit], `"`+encodeCursor(keys[limit-1])+`"` // base64url: nothing to escape
	}
	n := len(next) + 32
	for _, it := range items {
		n += len(it) + 1
	}
	buf.Grow(n)
	buf.WriteString(`{"items":[`)
	for i, it := range items {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(it)
	}
	buf.WriteString(`],"next_cursor":` + next + "}\n")
	return writeBody(w, r, http.StatusOK, buf.Bytes(), 0)
}

// pageOf reads limit and cursor from the query; the service is asked for
// one more item than the limit, to learn whether there is a next page.
func pageOf(r *http.Request) (domain.Page, int, error) {
	q := r.URL.Query()
	limit := 100
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return domain.Page{}, 0, badRequest("limit", "limit باید عددی بین ۱ و ۱۰۰۰ باشد", "limit must be a number from 1 to 1000")
		}
		limit = n
	}
	after := ""
	if c := q.Get("cursor"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		// Keys are text: bytes no database can compare (invalid UTF-8, NUL)
		// are a forged cursor, not a server fault.
		if err != nil || len(b) == 0 || len(b) > 200 || !utf8.Valid(b) || strings.IndexByte(string(b), 0) >= 0 {
			return domain.Page{}, 0, badRequest("cursor", "cursor نامعتبر است", "invalid cursor")
		}
		after = string(b)
	}
	return domain.Page{After: after, Limit: limit + 1}, limit, nil
}

func encodeCursor(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }

// pageAnswer writes a page of items: the service was asked for one more
// than limit, to learn whether there is a next page; keys are the items'
// cursor keys.
func pageAnswer[T any](w http.ResponseWriter, r *http.Request, items []T, keys []string, limit int) error {
	return writeJSON(w, r, http.StatusOK, pageList(items, keys, limit), 0)
}

// pageList is a page of items as a List: at most limit of them, with the
// cursor after the last when there were more.
func pageList[T any](items []T, keys []string, limit int) List[T] {
	l := List[T]{Items: items}
	if len(items) > limit {
		l.Items = items[:limit]
		c := encodeCursor(keys[limit-1])
		l.NextCursor = &c
	}
	if l.Items == nil {
		l.Items = []T{}
	}
	return l
}

// keysOf lists the cursor keys of a page of items.
func keysOf[T any](items []T, key func(T) string) []string {
	keys := make([]string, len(items))
	for i, x := range items {
		keys[i] = key(x)
	}
	return keys
}

// numericCursor checks that a cursor holds a database id.
func numericCursor(p domain.Page) error {
	if p.After == "" {
		return nil
	}
	if n, err := strconv.ParseInt(p.After, 10, 64); err != nil || n < 0 {
		return badRequest("cursor", "cursor نامعتبر است", "invalid cursor")
	}
	return nil
}

// positiveID reads a positive whole number from the path.
func positiveID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequest(name, "شناسه باید عدد مثبت باشد", "the "+name+" must be a positive number")
	}
	return id, nil
}

// asOfQuery reads the day ?as_of= names (ISO or Jalali); nil when absent.
func asOfQuery(r *http.Request) (*domain.Date, error) {
	s := r.URL.Query().Get("as_of")
	if s == "" {
		return nil, nil
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		return nil, badRequest("as_of", "تاریخ نامعتبر: "+err.Error(), "invalid date: "+err.Error())
	}
	return &d, nil
}

// ifMatch reads the version the caller last saw (httpx.IfMatch).
func ifMatch(r *http.Request) (int64, error) { return httpx.IfMatch(r) }

// ifMatchFor reads If-Match like ifMatch, but when the header is missing or
// unusable it first asks may whether the caller may write the record at
// all: one who may not hears 403 (or "not found"), not 428 or 412. The
// permission table already answers before any handler for a role that may
// never call the route; may covers the roles the table lets in and the
// service narrows by record (an agency writes only its own agency's
// records). It is asked only on the failing path, so a well-formed write
// costs no extra read.
func ifMatchFor(r *http.Request, may func() error) (int64, error) {
	version, err := ifMatch(r)
	if err != nil && may != nil {
		if denied := may(); denied != nil {
			return 0, denied
		}
	}
	return version, err
}
