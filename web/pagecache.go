package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
)

// The public portal's pages are the same for every visitor who is not
// signed in, and on announcement day most visitors ask for the same few.
// pageCache keeps them as rendered, per language and address, under the
// data version they were read at (service.DataVersion): the database's
// audit head and the day. Every request still asks the database for the
// version, one indexed read, so a write on any instance sharing the
// database — a project made confidential, a report accepted — is on the
// next page served, and a new day recomputes the status judged as of
// today. A signed-in visitor's pages name them and are never kept.
type pageCache = httpx.Cache[pageKey]

type pageKey struct {
	lang Lang
	uri  string // path and query, as asked
	host string // the Host asked, when the pages' addresses are built on it (no public URL)
}

// pageCacheBudget bounds the bodies kept: the home page in both languages
// and a few hundred project pages.
const pageCacheBudget = 4 << 20

func newPageCache(budget int) *pageCache { return httpx.NewCache[pageKey](budget) }

// newCachedPage is a page as kept, with its ETag.
func newCachedPage(body []byte) *httpx.Kept {
	sum := sha256.Sum256(body)
	return &httpx.Kept{Body: body, ETag: `"p-` + hex.EncodeToString(sum[:12]) + `"`}
}

// cacheSlot is where a page being rendered for the public will be kept.
type cacheSlot struct {
	ver service.DataVersion
	key pageKey
}

// fromCache answers q from the page cache if it holds the page at the
// current version; otherwise it notes where the rendered page goes. It
// serves only GET and HEAD from a visitor who is not signed in.
func (s *Site) fromCache(q *req) bool {
	if s.opt.PageCache < 0 || q.who.Role != service.RoleAnonymous || q.pending != nil || (q.Method != http.MethodGet && q.Method != http.MethodHead) {
		return false
	}
	v, err := s.svc.DataVersion(q.Context(), service.PublicAreas...)
	if err != nil {
		s.log.Warn("web page cache: data version", "err", err)
		return false
	}
	k := pageKey{lang: q.lang, uri: q.URL.RequestURI()}
	if s.publicURL() == "" {
		// Verification addresses are built on the request's host: a page
		// asked for under another Host is another page, so no visitor
		// can plant an address for the next.
		k.host = q.Host
	}
	if p, ok := s.cache.Get(v, k); ok {
		s.writePage(q, http.StatusOK, p.Body, p.ETag)
		return true
	}
	q.slot = &cacheSlot{ver: v, key: k}
	return false
}

// writePage writes a rendered page with its headers; a page the visitor
// already holds (If-None-Match) is answered 304 when it has an ETag.
func (s *Site) writePage(q *req, status int, body []byte, etag string) error {
	h := q.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(q.lang))
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	if etag != "" {
		h.Set("ETag", etag)
		if status == http.StatusOK && httpx.ETagMatch(q.Header.Get("If-None-Match"), etag) {
			q.w.WriteHeader(http.StatusNotModified)
			return nil
		}
	}
	q.w.WriteHeader(status)
	if q.Method == http.MethodHead {
		return nil
	}
	_, err := q.w.Write(body)
	return err
}
