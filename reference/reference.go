// Package reference ships Pishran's reference dataset: the public, sourced
// facts about the IT Executive Council's driving projects — the 12th
// government's 23 e-government priority projects and the 13th government's
// 20 smart-government driving projects — as one domain.Document.
//
// The data lives in registry.json, embedded in the binary. It records only
// what its sources say: every record carries at least one source, and what
// no source gives (term dates, most of the names of the 20, every project's
// responsible agency, leave dates) is left empty or null rather than guessed.
// English titles are working translations.
package reference

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"

	"github.com/pishran/pishran/domain"
)

//go:embed registry.json
var registryJSON []byte

// JSON returns a copy of the raw embedded dataset, as `pishran import` would
// read it.
func JSON() []byte { return bytes.Clone(registryJSON) }

// Document decodes the embedded dataset strictly (unknown fields are an
// error, as they are for the importer), checks its format and version, and
// validates every record and membership event with its own Validate method.
// Each call returns a fresh document the caller may modify.
func Document() (*domain.Document, error) {
	dec := json.NewDecoder(bytes.NewReader(registryJSON))
	dec.DisallowUnknownFields()
	var doc domain.Document
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("reference: decode registry.json: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("reference: registry.json: trailing data after the document")
	}
	if doc.Format != domain.DocumentFormat || doc.Version != domain.DocumentVersion {
		return nil, fmt.Errorf("reference: registry.json is %q version %d, want %q version %d",
			doc.Format, doc.Version, domain.DocumentFormat, domain.DocumentVersion)
	}
	for i := range doc.Terms {
		if err := doc.Terms[i].Validate(); err != nil {
			return nil, fmt.Errorf("reference: term %d: %w", doc.Terms[i].Number, err)
		}
	}
	for i := range doc.Agencies {
		if err := doc.Agencies[i].Validate(); err != nil {
			return nil, fmt.Errorf("reference: agency %q: %w", doc.Agencies[i].Code, err)
		}
	}
	for i := range doc.Laws {
		if err := doc.Laws[i].Validate(); err != nil {
			return nil, fmt.Errorf("reference: law %q: %w", doc.Laws[i].Slug, err)
		}
	}
	for i := range doc.Projects {
		if err := doc.Projects[i].Validate(); err != nil {
			return nil, fmt.Errorf("reference: project %q: %w", doc.Projects[i].Slug, err)
		}
	}
	for i := range doc.Programs {
		if err := doc.Programs[i].Validate(); err != nil {
			return nil, fmt.Errorf("reference: program %q: %w", doc.Programs[i].Slug, err)
		}
	}
	for i := range doc.Events {
		if err := doc.Events[i].Validate(); err != nil {
			return nil, fmt.Errorf("reference: event %d: %w", doc.Events[i].ID, err)
		}
	}
	return &doc, nil
}
