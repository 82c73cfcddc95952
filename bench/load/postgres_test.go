package main

import "testing"

func TestWithDatabase(t *testing.T) {
	got, err := withDatabase("postgres://postgres@127.0.0.1:5432/test?sslmode=disable", benchDatabase)
	if err != nil || got != "postgres://postgres@127.0.0.1:5432/pishran_bench?sslmode=disable" {
		t.Errorf("%q, %v", got, err)
	}
	if _, err := withDatabase("data/pishran.db", benchDatabase); err == nil {
		t.Error("a SQLite path taken for a PostgreSQL URL")
	}
	if got := redact("postgres://u:secret@h/db"); got != "postgres://u:…@h/db" {
		t.Errorf("redact: %q", got)
	}
}
