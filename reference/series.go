package reference

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"

	"github.com/pishran/pishran/domain"
)

//go:embed series.json
var seriesJSON []byte

// Series returns the meeting series the sources name: the IT Executive
// Council, its steering committee and its strategic commission, each with
// the sources that name it. Nothing more is known of them (no session's
// date is given by any source: the council's 26th and 27th sessions are
// named, undated), so no meeting is recorded. They are loaded beside the
// registry document (`serve --reference`), not inside it: a document moves
// a registry, and meetings are not part of one.
func Series() ([]domain.Series, error) {
	dec := json.NewDecoder(bytes.NewReader(seriesJSON))
	dec.DisallowUnknownFields()
	var out []domain.Series
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("reference: decode series.json: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("reference: series.json: trailing data after the list")
	}
	for i := range out {
		if err := out[i].Validate(); err != nil {
			return nil, fmt.Errorf("reference: series %q: %w", out[i].Code, err)
		}
		if len(out[i].Sources) == 0 {
			return nil, fmt.Errorf("reference: series %q names no source", out[i].Code)
		}
	}
	return out, nil
}
