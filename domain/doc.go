// Package domain holds Pishran's vocabulary: the records of the IT Executive
// Council's registry (agencies, laws, government terms, programs, projects and
// their membership history) and the errors the rest of the system speaks in.
// It also holds what the service and its callers read lists in: pages and the
// Walk iterator over them, filters, list rows, the audit log's entries, and
// the Viewer that says which confidential records a reader may see.
//
// It imports nothing from storage or HTTP. Rules that judge records live in
// the designation and comparison packages; reading and writing them lives in
// store and service.
package domain
