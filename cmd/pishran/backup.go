package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// cmdBackupRestore runs `backup` or `restore`, named by args[0].
func cmdBackupRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if args[0] == "restore" {
		return cmdRestore(ctx, args[1:], stdout, stderr)
	}
	return cmdBackup(ctx, args[1:], stdout, stderr)
}

// cmdBackup takes a consistent online snapshot of a SQLite database: it
// runs beside the server, which goes on writing.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", "backup FILE [--db DB]", stderr)
	dsn := dbFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return domain.Invalid("file", "backup یک فایل مقصد می‌خواهد", "backup needs exactly one destination file")
	}
	if store.IsPostgres(*dsn) {
		return store.ErrNotSQLite
	}
	if _, err := os.Stat(*dsn); err != nil {
		return fmt.Errorf("database %s: %w", *dsn, err) // store.Open would create it
	}
	start := time.Now()
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, rest[0]); err != nil {
		return err
	}
	st, err := os.Stat(rest[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backup of %s written to %s: %s bytes in %s, integrity ok.\n", *dsn, rest[0],
		thousands(int(st.Size())), time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdRestore puts a backup in place of a SQLite database. The server must
// be stopped: a database is replaced, not merged into.
func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("restore", "restore FILE [--db DB] [--force]   (stop the server first)", stderr)
	dsn := dbFlag(fs)
	force := fs.Bool("force", false, "replace a database that holds data")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return domain.Invalid("file", "restore یک فایل پشتیبان می‌خواهد", "restore needs exactly one backup file")
	}
	if store.IsPostgres(*dsn) {
		return store.ErrNotSQLite
	}
	from, target := rest[0], *dsn
	if same, _ := sameFile(from, target); same {
		return domain.Invalid("file", "فایل پشتیبان همان پایگاه داده مقصد است", "the backup file is the target database itself")
	}
	// The backup is checked before anything is touched.
	if err := store.CheckFile(ctx, from); err != nil {
		return domain.Invalid("file", "فایل پشتیبان سالم نیست: "+err.Error(), "the backup does not pass its integrity check: "+err.Error())
	}
	holds, err := store.FileHoldsData(ctx, target)
	if err != nil {
		return err
	}
	if holds && !*force {
		return domain.Conflict("db", "پایگاه داده مقصد داده دارد؛ برای جایگزینی آن --force بدهید",
			"the target database holds data; pass --force to replace it")
	}
	if dir := filepath.Dir(target); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
	}
	// Copy beside the target, bring the copy's schema up to date and check
	// its audit chain, then swap it in with a rename.
	tmp, err := copyToTemp(from, target)
	if err != nil {
		return err
	}
	defer removeDB(tmp)
	checked, err := verifyCopy(ctx, tmp, stderr)
	if err != nil {
		return err
	}
	removeDB(target) // its WAL and shared memory belong to the old database
	for _, suffix := range []string{"-wal", ""} {
		if _, err := os.Stat(tmp + suffix); err == nil {
			if err := os.Rename(tmp+suffix, target+suffix); err != nil {
				return err
			}
		}
	}
	if err := syncDirOf(target); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored %s into %s: integrity ok, audit chain intact (%s entries).\n", from, target, thousands(int(checked)))
	return nil
}

// verifyCopy opens the copy (migrating it to this version's schema) and
// verifies its audit chain.
func verifyCopy(ctx context.Context, path string, stderr io.Writer) (int64, error) {
	db, err := store.Open(ctx, path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	rep, err := service.New(db, newLogger(stderr)).VerifyAudit(ctx, service.System)
	if err != nil {
		return 0, err
	}
	if !rep.Intact {
		return 0, domain.Invalid("file", fmt.Sprintf("زنجیره ممیزی فایل پشتیبان در مدخل %d شکسته است", rep.Broken.ID),
			fmt.Sprintf("the backup's audit chain is broken at entry %d: %s", rep.Broken.ID, rep.Broken.Reason))
	}
	return rep.Checked, nil
}

func copyToTemp(from, target string) (string, error) {
	in, err := os.Open(from)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".restore-*")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(out.Name())
		return "", err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(out.Name())
		return "", err
	}
	if err := out.Chmod(0o640); err != nil {
		out.Close()
		os.Remove(out.Name())
		return "", err
	}
	return out.Name(), out.Close()
}

// removeDB removes a SQLite database file with its WAL and shared memory.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix) // a missing file is what we want
	}
}

func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

func syncDirOf(path string) error {
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
