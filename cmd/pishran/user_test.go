package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pishran/pishran/internal/testkit"
)

var linkRe = regexp.MustCompile(`https?://[^\s/]+/(setup|reset)/([A-Za-z0-9_-]{43})`)

func TestUserCommands(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dsn := e.DSN(t)
		// Without a password: a one-time link on the public URL.
		code, out, errOut := pishran(t, "user", "create", "--role", "secretariat", "--username", "maryam",
			"--public-url", "https://pishran.example.ir", "--db", dsn)
		if code != 0 || !strings.Contains(out, "https://pishran.example.ir/reset/") || linkRe.FindString(out) == "" {
			t.Fatalf("create: %d %q %q", code, out, errOut)
		}
		// With --password-stdin.
		stdin = strings.NewReader("a password from stdin\n")
		defer func() { stdin = os.Stdin }()
		if code, out, errOut := pishran(t, "user", "create", "--role", "reader", "--username", "ali", "--password-stdin", "--db", dsn); code != 0 || linkRe.MatchString(out) {
			t.Fatalf("create with a password: %d %q %q", code, out, errOut)
		}
		stdin = strings.NewReader("short\n")
		if code, _, errOut := pishran(t, "user", "create", "--role", "reader", "--username", "bad", "--password-stdin", "--db", dsn); code != 2 || !strings.Contains(errOut, "password") {
			t.Errorf("short password: %d %q", code, errOut)
		}
		if code, _, errOut := pishran(t, "user", "create", "--role", "agency", "--username", "x1", "--db", dsn); code != 2 || !strings.Contains(errOut, "agency") {
			t.Errorf("agency without code: %d %q", code, errOut)
		}
		if code, out, errOut := pishran(t, "user", "reset", "ali", "--db", dsn); code != 0 || !strings.Contains(out, "http://127.0.0.1:8080/reset/") {
			t.Errorf("reset: %d %q %q", code, out, errOut)
		}
		if code, _, errOut := pishran(t, "user", "reset", "nobody", "--db", dsn); code != 2 || !strings.Contains(errOut, "not found") {
			t.Errorf("reset unknown: %d %q", code, errOut)
		}
	})
	if code, _, errOut := pishran(t, "user", "--help"); code != 0 || !strings.Contains(errOut, "user create") {
		t.Errorf("user --help: %d %q", code, errOut)
	}
}

// TestServeSetupLink: the first start prints a one-time link that creates
// the first admin, once; with an admin, no link is printed.
func TestServeSetupLink(t *testing.T) {
	dsn := testkit.SQLiteDSN(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		run(ctx, []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"}, pw, io.Discard)
		pw.Close()
	}()
	var out bytes.Buffer
	found := make(chan []string, 1)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := pr.Read(buf)
			out.Write(buf[:n])
			if m := linkRe.FindStringSubmatch(out.String()); m != nil {
				found <- m
				io.Copy(io.Discard, pr)
				return
			}
			if err != nil {
				return
			}
		}
	}()
	var m []string
	select {
	case m = <-found:
	case <-time.After(30 * time.Second):
		t.Fatalf("no setup link printed: %q", out.String())
	}
	if m[1] != "setup" {
		t.Fatalf("printed link %q", m[0])
	}
	base := strings.TrimSuffix(m[0], "/setup/"+m[2])
	post := func() int {
		body, _ := json.Marshal(map[string]any{"token": m[2], "username": "first", "password": "the first admin's pass",
			"display_name": map[string]string{"fa": "مدیر", "en": "Admin"}})
		res, err := http.Post(base+"/api/v1/setup", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := post(); s != http.StatusCreated {
		t.Fatalf("setup: %d", s)
	}
	if s := post(); s != http.StatusUnprocessableEntity {
		t.Errorf("setup again: %d, want 422", s)
	}
	cancel()
	wg.Wait()
	// A second start, with an admin, prints no link.
	ctx2, cancel2 := context.WithCancel(context.Background())
	var out2 testkit.Log // what serve prints, read while it runs
	done := make(chan struct{})
	go func() {
		run(ctx2, []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"}, &out2, io.Discard)
		close(done)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out2.String(), "serving") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	cancel2()
	<-done
	if s := out2.String(); !strings.Contains(s, "serving") || linkRe.MatchString(s) {
		t.Errorf("second start printed %q", s)
	}
}
