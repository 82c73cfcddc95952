package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"github.com/pishran/pishran/internal/faces"
	"github.com/pishran/pishran/reference"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/web"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "serve [--addr ADDR] [--metrics-addr ADDR] [--db DB] [--reference] [--tls-cert FILE --tls-key FILE]", stderr)
	defAddr := os.Getenv("PISHRAN_ADDR")
	if defAddr == "" {
		defAddr = "127.0.0.1:8080"
	}
	addr := fs.String("addr", defAddr, "address to listen on (env PISHRAN_ADDR)")
	metricsAddr := fs.String("metrics-addr", os.Getenv("PISHRAN_METRICS_ADDR"),
		"serve /metrics on this address only, over plain HTTP, and not on --addr (env PISHRAN_METRICS_ADDR; default: beside the API on --addr)")
	dsn := dbFlag(fs)
	withRef := fs.Bool("reference", false, "load the reference dataset when the database is empty")
	readOnly := fs.Bool("read-only", false, "serve the public portal and the API's reads from a replica (a PostgreSQL hot standby, or a SQLite file another instance writes): no migrations, no jobs, no staff sign-in; writes answer 503")
	memLimit := fs.Int("memory-limit", 88, "soft limit in MiB on the Go runtime's memory: the collector works harder as it nears it (0: none; the GOMEMLIMIT environment variable, when set, wins)")
	jobs := fs.Bool("jobs", true, "run the background jobs (daily reminders); with several instances on one database each job still runs once")
	defDuty := service.DefaultJobDuty
	if v := os.Getenv("PISHRAN_JOB_DUTY"); v != "" {
		d, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("PISHRAN_JOB_DUTY: %q is not a number", v)
		}
		defDuty = d
	}
	jobDuty := fs.Float64("job-duty", defDuty, "share of a core a background job takes while it runs, above 0 and at most 1: after each step it rests for the rest (env PISHRAN_JOB_DUTY)")
	auth := authFlags(fs)
	tlsFiles := addTLSFlags(fs)
	mailOpts := addMailFlags(fs)
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", rest)
	}
	log := newLogger(stderr)
	if !(*jobDuty > 0 && *jobDuty <= 1) {
		return fmt.Errorf("--job-duty: %v: give a share above 0 and at most 1 (0.15: 15%% of a core)", *jobDuty)
	}
	if *memLimit < 0 {
		return fmt.Errorf("--memory-limit: %d MiB: give 0 (no limit) or more", *memLimit)
	}
	if os.Getenv("GOMEMLIMIT") == "" && *memLimit > 0 {
		// A soft limit, not a cap: a burst of requests makes the collector
		// run sooner instead of the process growing. Chosen from measurement
		// (docs/operations.md, "Memory"): the live heap under national load
		// is ~42 MiB once the service's caches are full. At 56 the collector
		// ran all the time and every route lost ~40%; at 72 it still took
		// 11% of the CPU (a collection every ~10 MB allocated); 88 gave the
		// random-key routes 10–49% more (anonymous RSS 82 → 95 MB) and 104
		// only 0–16% more again, at 109 MB.
		debug.SetMemoryLimit(int64(*memLimit) << 20)
	}
	tlsConf, err := tlsFiles.config(log) // nil: plain http
	if err != nil {
		return err
	}
	scheme := "http"
	if tlsConf != nil {
		scheme = "https"
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *readOnly && *withRef {
		return errors.New("--read-only and --reference: a replica loads nothing; load the reference dataset on the primary")
	}
	open := store.Open
	if *readOnly {
		open = store.OpenReplica
	}
	db, err := open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := service.New(db, log)
	if *withRef {
		loaded, err := loadReference(ctx, svc)
		if err != nil {
			return fmt.Errorf("load reference dataset: %w", err)
		}
		if loaded {
			log.Info("reference dataset loaded")
		}
	}
	cfg, oidc, err := auth.configure(svc)
	if err != nil {
		return err
	}
	if err := mailOpts.configure(svc, cfg.PublicURL, log); err != nil {
		return err
	}
	front, err := faces.New(svc, log, cfg, oidc, web.Options{
		SecureCookies: tlsConf != nil,
	})
	if err != nil {
		return err
	}
	if *jobs && !*readOnly {
		// A log begun before reconciliation: its records are sealed as
		// found, once (service.SealBaseline).
		if sealed, err := svc.SealBaseline(ctx); err != nil {
			return fmt.Errorf("audit baseline: %w", err)
		} else if sealed {
			log.Info("audit: records sealed as found, as the baseline of reconciliation")
		}
		svc.SetJobDuty(*jobDuty)
		host, _ := os.Hostname()
		svc.StartJobs(ctx, host+"-"+strconv.Itoa(os.Getpid()), time.Minute)
		svc.StartNotices(ctx, host+"-"+strconv.Itoa(os.Getpid()), 30*time.Second)
	}
	srv := &http.Server{
		Handler:           front.Root,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		TLSConfig:         tlsConf,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn), // e.g. failed TLS handshakes, in the structured log
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	var metricsSrv *http.Server
	var metricsLn net.Listener
	if *metricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", *metricsAddr); err != nil {
			ln.Close()
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		metricsSrv = &http.Server{
			Handler:           front.Root.MetricsHandler(),
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       2 * time.Minute,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		}
	}
	public := *auth.public
	if public == "" {
		public = scheme + "://" + ln.Addr().String()
	}
	printSetup := func(io.Writer) {}
	if !*readOnly { // a replica has no accounts to set up: they are the primary's
		if printSetup, err = setupLink(ctx, svc, public, ln.Addr().String()); err != nil {
			ln.Close()
			return err
		}
	}
	log.Info("pishran serving", "url", scheme+"://"+ln.Addr().String()+"/", "engine", db.Engine(), "version", version, "read_only", *readOnly)
	fmt.Fprintf(stdout, "Pishran is serving on %s://%s/\n", scheme, ln.Addr())
	printSetup(stdout)
	errc := make(chan error, 2)
	if metricsSrv != nil {
		log.Info("metrics serving", "url", "http://"+metricsLn.Addr().String()+"/metrics")
		fmt.Fprintf(stdout, "Metrics are served on http://%s/metrics only\n", metricsLn.Addr())
		go func() { errc <- metricsSrv.Serve(metricsLn) }()
	}
	go func() {
		if tlsConf != nil {
			errc <- srv.ServeTLS(ln, "", "") // the certificate is in srv.TLSConfig
			return
		}
		errc <- srv.Serve(ln)
	}()
	select {
	case err := <-errc: // one listener failed: stop the other too
		srv.Close()
		if metricsSrv != nil {
			metricsSrv.Close()
		}
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if metricsSrv != nil {
		if err := metricsSrv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	return nil
}

// loadReference imports the reference dataset if the registry is empty.
func loadReference(ctx context.Context, svc *service.Service) (bool, error) {
	empty, err := svc.IsEmpty(ctx)
	if err != nil || !empty {
		return false, err
	}
	doc, err := reference.Document()
	if err != nil {
		return false, err
	}
	series, err := reference.Series()
	if err != nil {
		return false, err
	}
	if err := svc.Import(ctx, service.System, doc); err != nil {
		return false, err
	}
	// The council's meeting series, as far as the sources name them.
	for i := range series {
		if err := svc.CreateSeries(ctx, service.System, &series[i]); err != nil {
			return false, fmt.Errorf("reference series %s: %w", series[i].Code, err)
		}
	}
	return true, nil
}
