package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pishran/pishran/domain"
)

// MaxBody is the largest request body the API reads.
const MaxBody = 1 << 20

// readBody reads a JSON request body: it must declare a JSON content type,
// be at most MaxBody bytes and be valid UTF-8.
func readBody(r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, statusError(http.StatusUnsupportedMediaType, "Content-Type",
				"بدنه درخواست باید application/json باشد", "the request body must be application/json")
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return nil, badRequest("", "خواندن بدنه درخواست ممکن نشد", "could not read the request body")
	}
	if len(body) > MaxBody {
		return nil, statusError(http.StatusRequestEntityTooLarge, "", "بدنه درخواست از ۱ مگابایت بزرگ‌تر است",
			"the request body is larger than 1 MiB")
	}
	return body, nil
}

// DecodeJSON decodes one JSON value from body into v, strictly: no unknown
// fields, no trailing data, valid UTF-8. Its errors name the field at fault.
// It is the single decoder for every request body and for import files.
func DecodeJSON(body []byte, v any) error {
	if !utf8.Valid(body) {
		return badRequest("", "بدنه درخواست UTF-8 معتبر نیست", "the request body is not valid UTF-8")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest("", "بدنه درخواست خالی است", "the request body is empty")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(body, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("", "پس از مقدار JSON داده اضافه آمده است", "unexpected data after the JSON value")
	}
	if err := checkDuplicateKeys(body); err != nil {
		return err
	}
	// No text in the registry holds a NUL character, and PostgreSQL cannot
	// store one: refuse it here, on every engine alike, naming the field.
	if bytes.Contains(body, []byte(`\u0000`)) {
		if path, ok := nulField(body); ok {
			return badRequest(path, "متن نباید نویسه NUL داشته باشد", "text must not contain the NUL character")
		}
	}
	return nil
}

// checkDuplicateKeys refuses a document in which an object names a key
// twice. encoding/json keeps the last value silently, so a body could show
// a reviewer, a proxy or a log one value and write another; and since it
// matches field names without regard to case, "title" and "Title" are the
// same key too. It runs on a document the decoder has already accepted, so
// the nesting is bounded and the tokens are valid.
func checkDuplicateKeys(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object bool
		path   string
		key    bool                // an object's next string token is a key
		index  int                 // an array's next element
		seen   map[string]struct{} // an object's keys, folded
		last   string              // the key whose value is being read
	}
	var stack []*frame
	// at is the path of the value about to be read.
	at := func() string {
		if len(stack) == 0 {
			return ""
		}
		f := stack[len(stack)-1]
		if f.object {
			if f.path == "" {
				return f.last
			}
			return f.path + "." + f.last
		}
		return f.path + "[" + strconv.Itoa(f.index) + "]"
	}
	// done moves the enclosing frame past the value just read.
	done := func() {
		if len(stack) == 0 {
			return
		}
		if f := stack[len(stack)-1]; f.object {
			f.key = true
		} else {
			f.index++
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return nil // the decoder has judged the syntax already
		}
		if len(stack) > 0 {
			if f := stack[len(stack)-1]; f.object && f.key {
				if k, ok := tok.(string); ok {
					folded := foldKey(k)
					if f.seen == nil {
						f.seen = map[string]struct{}{}
					}
					f.last, f.key = k, false
					if _, dup := f.seen[folded]; dup {
						path := at()
						return badRequest(path, "کلید تکراری در JSON: "+path, "duplicate key in the JSON object: "+path+
							" (keys are matched without regard to case; give each once)")
					}
					f.seen[folded] = struct{}{}
					continue
				}
			}
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			stack = append(stack, &frame{object: tok == json.Delim('{'), path: at(), key: true})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			done()
		default:
			done()
		}
	}
}

// foldKey folds a key the way encoding/json matches field names: each
// character to its upper case of its lower case, so "ſ" (long s) and "S",
// "K" (Kelvin) and "k" fold alike.
func foldKey(k string) string {
	return strings.Map(func(r rune) rune { return unicode.ToUpper(unicode.ToLower(r)) }, k)
}

// nulField finds the first string in a JSON document that holds a NUL
// character and returns its path.
func nulField(body []byte) (string, bool) {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return "", false
	}
	var walk func(v any, at string) (string, bool)
	walk = func(v any, at string) (string, bool) {
		switch x := v.(type) {
		case string:
			return at, strings.IndexByte(x, 0) >= 0
		case map[string]any:
			for k, val := range x {
				p := k
				if at != "" {
					p = at + "." + k
				}
				if strings.IndexByte(k, 0) >= 0 {
					return p, true
				}
				if path, ok := walk(val, p); ok {
					return path, true
				}
			}
		case []any:
			for i, val := range x {
				if path, ok := walk(val, at+"["+strconv.Itoa(i)+"]"); ok {
					return path, true
				}
			}
		}
		return "", false
	}
	return walk(doc, "")
}

func jsonError(body []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off := strconv.FormatInt(syn.Offset, 10)
		return badRequest("", "JSON نادرست در بایت "+off, "malformed JSON at byte "+off+": "+syn.Error())
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("", "JSON ناتمام است", "the JSON ends unexpectedly")
	case errors.As(err, &typ):
		f := typ.Field
		if f == "" {
			f = "body"
		}
		return badRequest(f, "نوع مقدار نادرست است؛ باید "+typ.Type.String()+" باشد",
			"wrong type: "+typ.Value+" given where "+jsonType(typ.Type.String())+" is expected")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return badRequest(name, "فیلد ناشناخته: "+name, "unknown field: "+name)
	}
	// An error from a field's own decoder, such as an impossible date: find
	// which field by walking the document.
	if path, msg := badDate(body); path != "" {
		return badRequest(path, "تاریخ نامعتبر: "+msg, "invalid date: "+msg)
	}
	return badRequest("", "بدنه درخواست خوانا نیست: "+err.Error(), "the request body cannot be read: "+err.Error())
}

func jsonType(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"), strings.HasPrefix(goType, "float"),
		strings.HasPrefix(goType, "*int"):
		return "a number"
	case goType == "string" || strings.HasSuffix(goType, "Kind") || strings.HasSuffix(goType, "Role"):
		return "a string"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	}
	return "an object (" + goType + ")"
}

// dateFields are the JSON names of every domain.Date field.
var dateFields = map[string]bool{"date": true, "start": true, "end": true, "approved": true, "due": true}

// badDate finds the first date field in a JSON document that does not parse
// and returns its path and the parser's complaint.
func badDate(body []byte) (path, msg string) {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return "", ""
	}
	var walk func(v any, at string) bool
	walk = func(v any, at string) bool {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				p := k
				if at != "" {
					p = at + "." + k
				}
				if dateFields[k] {
					if s, ok := val.(string); ok {
						if _, err := domain.ParseDate(s); err != nil {
							path, msg = p, err.Error()
							return true
						}
					} else if val != nil {
						path, msg = p, "a date must be a string such as \"2023-12-10\" or \"1402/09/19\""
						return true
					}
				}
				if walk(val, p) {
					return true
				}
			}
		case []any:
			for i, val := range x {
				if walk(val, at+"["+strconv.Itoa(i)+"]") {
					return true
				}
			}
		}
		return false
	}
	walk(doc, "")
	return path, msg
}
