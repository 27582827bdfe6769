// Command seed applies the graph's schema migrations and loads the curated dataset into Neo4j.
//
//	go run ./seed check [--dir seed/data]   validate the seed files only; nothing is written
//	go run ./seed migrate                apply constraints and indexes
//	go run ./seed load [--dir seed/data] migrate, then replace the curated dataset in one transaction
//
// It reads the same NEO4J_* variables as the server.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/config"
	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: seed check|migrate|load [-dir seed/data]")
	}
	cmd := args[0]
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	dir := fs.String("dir", "seed/data", "folder of the seed CSV files")
	timeout := fs.Duration("timeout", 5*time.Minute, "how long the whole command may take")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	switch cmd {
	case "check":
		d, err := dataset.Read(*dir)
		if err != nil {
			return err
		}
		fmt.Printf("seed: %s is valid: %d nodes, %d relationships\n", *dir, len(d.Nodes), len(d.Rels))
		return nil
	case "migrate", "load":
	default:
		return fmt.Errorf("unknown command %q; want check, migrate or load", cmd)
	}

	var d *dataset.Dataset
	if cmd == "load" {
		// Validate everything before touching the database.
		var err error
		if d, err = dataset.Read(*dir); err != nil {
			return err
		}
	}
	st, closeStore, err := open()
	if err != nil {
		return err
	}
	defer closeStore()
	applied, err := st.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	fmt.Printf("seed: migrations applied: %v\n", applied)
	if d == nil {
		return nil
	}
	nodes, rels, err := st.ReplaceDataset(ctx, store.DatasetCurated, d)
	if err != nil {
		return fmt.Errorf("load %s: %w", *dir, err)
	}
	fmt.Printf("seed: loaded %s: %d nodes, %d relationships\n", *dir, nodes, rels)
	return nil
}

func open() (*store.Store, func(), error) {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return nil, nil, fmt.Errorf("configuration: %w", err)
	}
	driver, err := store.NewDriver(store.DriverOptions{
		URI: cfg.Neo4jURI, User: cfg.Neo4jUser, Password: cfg.Neo4jPassword, RequestTimeout: time.Minute,
	})
	if err != nil {
		return nil, nil, err
	}
	return store.New(driver, cfg.Neo4jDatabase), func() { _ = driver.Close(context.Background()) }, nil
}
