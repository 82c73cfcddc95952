package httpx

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// ETagMatch reports whether a conditional header (If-None-Match, If-Match)
// names etag, weakly or strongly, or is "*".
func ETagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// BodyETag is the strong ETag of a JSON answer: a hash of its body and,
// when version is positive, the record's version, which a later If-Match
// gives back ("v3-…").
func BodyETag(body []byte, version int64) string {
	sum := sha256.Sum256(body)
	if version > 0 {
		return `"v` + strconv.FormatInt(version, 10) + "-" + hex.EncodeToString(sum[:8]) + `"`
	}
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}

// IfMatch reads the version the caller last saw from If-Match. Updates and
// deletes need it: without it a write could silently overwrite someone
// else's.
func IfMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "*" {
		return 0, StatusError(http.StatusPreconditionRequired, "If-Match",
			"«If-Match: *» پذیرفته نیست؛ ETag آخرین خواندن را بفرستید تا نوشته‌ای بی‌خبر رونویسی نشود",
			"If-Match: * is not accepted: send the ETag of your last read, so no one's write is overwritten unseen")
	}
	if h == "" {
		return 0, StatusError(http.StatusPreconditionRequired, "If-Match",
			"سرآیند If-Match با ETag آخرین خواندن لازم است", "the If-Match header with the ETag of your last read is required")
	}
	t := strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	v, _, _ := strings.Cut(strings.TrimPrefix(t, "v"), "-")
	n, err := strconv.ParseInt(v, 10, 64)
	if !strings.HasPrefix(t, "v") || err != nil || n <= 0 {
		return 0, StatusError(http.StatusPreconditionFailed, "If-Match",
			"ETag در If-Match با نسخه کنونی رکورد نمی‌خواند", "the If-Match ETag does not match the record's current version")
	}
	return n, nil
}

// IfMatchOptional reads If-Match when it is sent; 0 when it is not. State
// changes take it to refuse acting on a record changed since it was read.
func IfMatchOptional(r *http.Request) (int64, error) {
	if strings.TrimSpace(r.Header.Get("If-Match")) == "" {
		return 0, nil
	}
	return IfMatch(r)
}
