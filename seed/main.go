// Command seed applies the graph's schema migrations and loads the curated dataset into Neo4j.
//
//	go run ./seed check [--dir seed/data]   validate the seed files only; nothing is written
//	go run ./seed migrate                apply constraints and indexes
//	go run ./seed load [--dir seed/data] migrate, remove generated data, then replace the curated
//	                                     dataset in one transaction
//	go run ./seed generate [--projects 100000 ...]
//	                                     migrate, then replace the curated and generated data with a
//	                                     deterministic synthetic graph of that size (for benchmarks;
//	                                     never mixed with curated data)
//
// It never deletes data it did not write: a graph holding nodes of the model's labels that belong
// to no dataset of this project (no dataset property, or an unknown one) is refused, unchanged.
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
	"github.com/partnership-graph/partnership-graph/internal/synthetic"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: seed check|migrate|load [-dir seed/data] | seed generate [-projects N ...]")
	}
	cmd := args[0]
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	dir := fs.String("dir", "seed/data", "folder of the seed CSV files")
	size := synthetic.Scale
	fs.IntVar(&size.Countries, "countries", size.Countries, "generate: number of countries")
	fs.IntVar(&size.Processes, "processes", size.Processes, "generate: number of regional processes")
	fs.IntVar(&size.Instruments, "instruments", size.Instruments, "generate: number of instruments")
	fs.IntVar(&size.Organisations, "organisations", size.Organisations, "generate: number of organisations")
	fs.IntVar(&size.Projects, "projects", size.Projects, "generate: number of projects")
	fs.IntVar(&size.Themes, "themes", size.Themes, "generate: number of thematic areas")
	genSeed := fs.Uint64("seed", 1, "generate: random seed; the same seed and size give the same graph")
	batch := fs.Int("batch", 10000, "generate: rows per write transaction")
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
	case "generate":
		return generate(ctx, size, *genSeed, *batch)
	default:
		return fmt.Errorf("unknown command %q; want check, migrate, load or generate", cmd)
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

// generate replaces the graph with a synthetic one.
func generate(ctx context.Context, size synthetic.Size, seed uint64, batch int) error {
	started := time.Now()
	d, err := synthetic.Generate(size, seed)
	if err != nil {
		return err
	}
	st, closeStore, err := open()
	if err != nil {
		return err
	}
	defer closeStore()
	if _, err := st.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := st.ReplaceGraphInBatches(ctx, store.DatasetSynthetic, d, batch); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	fmt.Printf("seed: generated %+v (seed %d): %d nodes, %d relationships in %s\n",
		size, seed, len(d.Nodes), len(d.Rels), time.Since(started).Round(time.Millisecond))
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
