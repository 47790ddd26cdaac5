// Command ferretdb runs FerretDB v1 (Apache-2.0, MongoDB wire protocol) on its SQLite
// backend — or, with -postgresql-url, on PostgreSQL (the production topology, scripts/cluster/)
// — through FerretDB's embeddable package. The project builds it from the Go module
// proxy because no mongod binary can be downloaded on the development machines; see
// docs/decisions/001-embedded-runtime.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data-dir", "data/ferretdb", "directory for the SQLite databases")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	postgresURL := flag.String("postgresql-url", "", "run on PostgreSQL at this URL (a UTF8 database, C locale) instead of SQLite")
	cpuProfile := flag.String("cpu-profile", "", "write a CPU profile of the whole run to this file when stopped (the benchmark's BENCH_CPU_PROF)")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb: bad -log-level:", err)
		os.Exit(2)
	}
	// Each query decodes every row it returns into fresh objects, so the collector ran after a
	// few queries with Go's default (GOGC=100) on this small heap; at 400 a list query took
	// 10-55 % less in an A/B run, for a few tens of MB more (decision 008). GOGC set in the
	// environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	dir, err := filepath.Abs(*dataDir)
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb: data dir:", err)
		os.Exit(1)
	}

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
		Handler:  "sqlite",
		// Immediate transactions: a read that turns into a write would otherwise fail with
		// SQLITE_BUSY under concurrent writers instead of waiting its turn. synchronous=normal
		// (as the Temporal dev server here): in WAL mode a commit no longer waits for fsync; a
		// power loss may drop the last commits of the read model, which the workflows rewrite.
		SQLiteURL: "file:" + dir + "/?_txlock=immediate&_pragma=synchronous(normal)",
	}
	if *postgresURL != "" {
		config.Handler, config.SQLiteURL, config.PostgreSQLURL = "postgresql", "", *postgresURL
	}
	f, err := ferretdb.New(config)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	if *cpuProfile != "" {
		out, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(out)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "ferretdb: -cpu-profile:", err)
			os.Exit(2)
		}
		defer pprof.StopCPUProfile()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintln(os.Stderr, "ferretdb: listening on", f.MongoDBURI())
	if err := f.Run(ctx); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}
