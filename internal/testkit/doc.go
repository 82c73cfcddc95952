// Package testkit is the base of Pishran's test harness: a fresh, private
// database on every engine Pishran supports, a loop over those engines, a
// clock a test moves, the error assertions every package's tests share, and
// a log a test can read back.
//
// It imports only store and domain, so that the in-package tests of store's
// and service's neighbours can use it; the richer harness, with the service,
// data sets and an HTTP server, is its sub-package scenario.
package testkit
