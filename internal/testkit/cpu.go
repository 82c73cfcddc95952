package testkit

import (
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pishran/pishran/store"
)

// ProcessCPU is the CPU the test process has used, user and system: on a
// machine shared with other work a benchmark's CPU per operation measures
// its cost where the wall clock measures the queue for the cores.
func ProcessCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// CPU is ProcessCPU plus, when dsn is a postgres:// URL of a server on this
// machine, the CPU of the server's backends connected to dsn's database
// (user and system, from /proc): on PostgreSQL half of a request's work is
// done in another process. A backend that ends between two readings takes
// its CPU with it, so read around a loop on an open pool.
func CPU(dsn string) time.Duration {
	return ProcessCPU() + backendCPU(dsn)
}

func backendCPU(dsn string) time.Duration {
	if !store.IsPostgres(dsn) {
		return 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	if err != nil {
		return 0
	}
	defer rows.Close()
	var total time.Duration
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil {
			total += procCPU(pid)
		}
	}
	return total
}

// procCPU is process pid's user and system time from /proc/pid/stat, in
// clock ticks of 1/100 s (Linux's USER_HZ).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command's name may hold spaces
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:]) // f[0] is field 3 (state): utime is field 14, stime 15
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * 10 * time.Millisecond
}
