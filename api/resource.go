package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

type versioned interface{ Versioned() *domain.Meta }

// resource describes a plain registry record type (term, agency, law,
// project, program) so that its five CRUD routes are built the same way.
type resource[T any, PT interface {
	*T
	versioned
}] struct {
	path   string // e.g. /api/v1/agencies
	param  string // the path parameter naming one record
	keyOf  func(PT) string
	setKey func(PT, string) error // puts the path's key into a decoded body, refusing a mismatch
	list   func(r *http.Request, a service.Actor, p domain.Page) (items []any, keys []string, err error)
	// listEncoded, when set, lists instead of list, with the items
	// encoded already (see writeEncodedList).
	listEncoded func(r *http.Request, a service.Actor, p domain.Page) (items [][]byte, keys []string, err error)
	get         func(ctx context.Context, a service.Actor, key string) (any, int64, error)
	create      func(ctx context.Context, a service.Actor, v PT) error
	update      func(ctx context.Context, a service.Actor, v PT) error
	delete      func(ctx context.Context, a service.Actor, key string, version int64) error
	// mayUpdate, when set, answers whether the caller may update the
	// record at all; it is asked before a missing If-Match is (see
	// ifMatchFor), for the roles the service narrows by record.
	mayUpdate func(ctx context.Context, a service.Actor, key string) error
	// readOnly names the fields a GET shows but a write does not take
	// (counts, computed views): a body read from GET may carry them back
	// and they are ignored, so read → modify → PUT works.
	readOnly []string
	// warn, when set, names what a new record may repeat (a project's
	// near-duplicate titles): said in the Pishran-Similar header of the
	// 201, never a refusal.
	warn func(ctx context.Context, a service.Actor, v PT) string
}

func (res resource[T, PT]) routes() []Route {
	one := res.path + "/{" + res.param + "}"
	return []Route{
		{"GET", res.path, func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
			page, limit, err := pageOf(r)
			if err != nil {
				return err
			}
			if res.listEncoded != nil {
				items, keys, err := res.listEncoded(r, a, page)
				if err != nil {
					return err
				}
				return writeEncodedList(w, r, items, keys, limit)
			}
			items, keys, err := res.list(r, a, page)
			if err != nil {
				return err
			}
			l := List[any]{Items: items}
			if len(items) > limit {
				l.Items = items[:limit]
				c := encodeCursor(keys[limit-1])
				l.NextCursor = &c
			}
			if l.Items == nil {
				l.Items = []any{}
			}
			return writeJSON(w, r, http.StatusOK, l, 0)
		}},
		{"POST", res.path, func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
			v := PT(new(T))
			if err := decodeRecord(r, v, res.readOnly); err != nil {
				return err
			}
			var warning string
			if res.warn != nil {
				warning = res.warn(r.Context(), a, v)
			}
			if err := res.create(r.Context(), a, v); err != nil {
				return err
			}
			if warning != "" {
				w.Header().Set("Pishran-Similar", warning)
			}
			w.Header().Set("Location", res.path+"/"+res.keyOf(v))
			return res.answer(w, r, a, res.keyOf(v), http.StatusCreated)
		}},
		{"GET", one, func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
			return res.answer(w, r, a, r.PathValue(res.param), http.StatusOK)
		}},
		{"PUT", one, func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
			var may func() error
			if res.mayUpdate != nil {
				may = func() error { return res.mayUpdate(r.Context(), a, r.PathValue(res.param)) }
			}
			version, err := ifMatchFor(r, may)
			if err != nil {
				return err
			}
			v := PT(new(T))
			if err := decodeRecord(r, v, res.readOnly); err != nil {
				return err
			}
			if err := res.setKey(v, r.PathValue(res.param)); err != nil {
				return err
			}
			v.Versioned().Version = version
			if err := res.update(r.Context(), a, v); err != nil {
				return err
			}
			return res.answer(w, r, a, res.keyOf(v), http.StatusOK)
		}},
		{"DELETE", one, func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
			version, err := ifMatch(r)
			if err != nil {
				return err
			}
			if err := res.delete(r.Context(), a, r.PathValue(res.param), version); err != nil {
				return err
			}
			w.WriteHeader(http.StatusNoContent)
			return nil
		}},
	}
}

// answer writes the current state of one record.
func (res resource[T, PT]) answer(w http.ResponseWriter, r *http.Request, a service.Actor, key string, status int) error {
	v, version, err := res.get(r.Context(), a, key)
	if err != nil {
		return err
	}
	return writeJSON(w, r, status, v, version)
}

// decodeRequest reads and strictly decodes a JSON request body.
func decodeRequest(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	return DecodeJSON(body, v)
}

// decodeRecord decodes a record body strictly, after dropping the
// read-only fields named in readOnly ("stages[].size" drops a field of
// every element of an array).
func decodeRecord(r *http.Request, v any, readOnly []string) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	if len(readOnly) > 0 {
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) == nil && obj != nil {
			// Before the map below folds a repeated key into one.
			if err := checkDuplicateKeys(body); err != nil {
				return err
			}
			for _, f := range readOnly {
				name, sub, nested := strings.Cut(f, "[].")
				if !nested {
					delete(obj, name)
					continue
				}
				var items []map[string]json.RawMessage
				if raw, ok := obj[name]; ok && json.Unmarshal(raw, &items) == nil {
					for _, it := range items {
						delete(it, sub)
					}
					obj[name], _ = json.Marshal(items)
				}
			}
			body, _ = json.Marshal(obj)
		}
	}
	return DecodeJSON(body, v)
}

// sameKey is the usual setKey: the body may leave the key out, or repeat
// the path's key, but not name another record.
func sameKey(field string, body *string, path string) error {
	if *body != "" && *body != path {
		return badRequest(field, "شناسه بدنه با شناسه نشانی یکی نیست", "the body's "+field+" differs from the one in the URL")
	}
	*body = path
	return nil
}

// listed turns a page of records into list items and their cursor keys.
func listed[T any](items []T, view func(T) any, key func(T) string) ([]any, []string) {
	out, keys := make([]any, len(items)), make([]string, len(items))
	for i, it := range items {
		out[i], keys[i] = view(it), key(it)
	}
	return out, keys
}

func itself[T any](v T) any { return v }
