package api

import "net/http"

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
