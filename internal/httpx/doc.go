// Package httpx is the HTTP plumbing Pishran's two faces share: the JSON
// API (package api) and the pages (package web). Both are mounted on one
// Root, which every request goes through — the default security headers,
// the cross-origin check, one router, the request metrics — and both use
// the helpers here for what they have in common: the session cookie, the
// client's address, ETags and If-Match, kept answers, problem+json errors
// and the per-address limit on failed sign-ins.
//
// It knows HTTP and the service's vocabulary (actors, roles, the data
// version, the session policy), never the store: the faces reach the data
// only through the service.
package httpx
