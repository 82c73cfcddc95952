// Package scenario builds what a test of Pishran starts from, on either
// engine: a service over a fresh database with a data set (the reference
// dataset, a small registry of good projects, council meetings, a project
// under follow-up, the staff workspace's accounts and records), tokens,
// users, sessions and a clock; and, with Serve, both HTTP faces mounted
// together as `pishran serve` runs them, with a client that checks and
// decodes their answers: the API's (Get, Post, Put, Del; Obj, At, Problem,
// Field) and the site's (Page in a language with a session, Form and
// Upload with a session and headers, Follow and RedirectsTo for
// redirects, CheckPage for what every page passes).
//
// The data each builder records is the data the tests assert on: change it
// only together with those tests.
//
// It imports service, api and web, so only external test packages (package
// x_test) and commands' tests can use it; in-package tests of store and
// service use its base, testkit.
package scenario
