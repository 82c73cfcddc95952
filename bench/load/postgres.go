package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// benchDatabase is the PostgreSQL database the benchmark makes (dropped
// first if it is there) on the server -db names: never the database in the
// URL itself, which is only used to connect.
const benchDatabase = "pishran_bench"

// pgRun is the random read routes on PostgreSQL, the same registry as the
// main run's.
type pgRun struct {
	Copied time.Duration
	Run    scaleRun
}

// withDatabase is the URL u with its database replaced by name.
func withDatabase(u, name string) (string, error) {
	p, err := url.Parse(u)
	if err != nil {
		return "", err
	}
	if p.Scheme != "postgres" && p.Scheme != "postgresql" {
		return "", fmt.Errorf("-db %q: give a postgres:// URL", u)
	}
	p.Path = "/" + name
	return p.String(), nil
}

// runPostgres copies the main run's database into a fresh PostgreSQL
// database with `pishran copy` and drives the random read routes on it.
func runPostgres(bin, tmp string, d dataset, drv readDriver, dur time.Duration) (*pgRun, error) {
	target, err := withDatabase(*flagDB, benchDatabase)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, *flagDB)
	if err != nil {
		return nil, fmt.Errorf("-db: %w", err)
	}
	for _, q := range []string{"DROP DATABASE IF EXISTS " + benchDatabase + " WITH (FORCE)", "CREATE DATABASE " + benchDatabase} {
		if _, err := conn.Exec(ctx, q); err != nil {
			conn.Close(ctx)
			return nil, fmt.Errorf("-db: %s: %w", q, err)
		}
	}
	conn.Close(ctx)
	src, err := workingCopy(d, tmp)
	if err != nil {
		return nil, err
	}
	logf("copying %s projects into PostgreSQL (%s)", thousands(d.Scale.Projects), redact(target))
	t0 := time.Now()
	cmd := exec.Command(bin, "copy", "--from", src, "--to", target)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("pishran copy to PostgreSQL: %w", err)
	}
	defer dropBenchDatabase()
	pg := &pgRun{Copied: time.Since(t0)}
	if _, err := settle(bin, target); err != nil {
		return nil, err
	}
	pg.Run, err = runRandomOn(bin, target, d, drv, dur, fmt.Sprintf("PostgreSQL: %s projects", thousands(d.Scale.Projects)))
	return pg, err
}

// dropBenchDatabase drops the benchmark's database once it is measured:
// at national scale it holds half a gigabyte.
func dropBenchDatabase() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, *flagDB)
	if err != nil {
		logf("drop %s: %v", benchDatabase, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+benchDatabase+" WITH (FORCE)"); err != nil {
		logf("drop %s: %v", benchDatabase, err)
	}
}

// redact hides a password in a database URL for the log.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return u
	}
	if _, ok := p.User.Password(); ok {
		p.User = url.UserPassword(p.User.Username(), "xxx")
	}
	return strings.Replace(p.String(), "xxx@", "…@", 1)
}
