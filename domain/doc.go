// Package domain holds Pishran's vocabulary: the records of the IT Executive
// Council's registry (agencies, laws, government terms, programs, projects and
// their membership history) and the errors the rest of the system speaks in.
//
// It imports nothing from storage or HTTP. Rules that judge records live in
// the designation and comparison packages; reading and writing them lives in
// store and service.
package domain
