// Command seed applies the graph's schema migrations and loads the curated dataset into Neo4j.
//
//	go run ./seed check [--dir seed/data]   validate the seed files only; nothing is written
//	go run ./seed migrate                apply constraints and indexes
//	go run ./seed load [--dir seed/data] [--eutf seed/eutf]
//	                                     migrate, remove generated data, then replace the curated
//	                                     dataset in one transaction (and import the EUTF export)
//	go run ./seed import-iati [--report] [--strict-codes] [--batch-activities N] FILE|DIR...
//	                                     import IATI activity files (a folder: its *.xml files), each
//	                                     as its own dataset next to the curated one
//	go run ./seed import-eutf [--dir seed/eutf] [--report]
//	                                     import the EUTF for Africa export as dataset import:eutf-akvo
//	go run ./seed datasets               list the datasets of the graph
//	go run ./seed remove-dataset NAME    withdraw everything one dataset asserts
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
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/config"
	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/importer"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/synthetic"
	"github.com/partnership-graph/partnership-graph/internal/telemetry"
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
	eutfDir := fs.String("eutf", "", "load: then import the EUTF for Africa export of this folder (make run uses seed/eutf)")
	size := synthetic.Scale
	fs.IntVar(&size.Countries, "countries", size.Countries, "generate: number of countries")
	fs.IntVar(&size.Processes, "processes", size.Processes, "generate: number of regional processes")
	fs.IntVar(&size.Instruments, "instruments", size.Instruments, "generate: number of instruments")
	fs.IntVar(&size.Organisations, "organisations", size.Organisations, "generate: number of organisations")
	fs.IntVar(&size.Projects, "projects", size.Projects, "generate: number of projects")
	fs.IntVar(&size.Themes, "themes", size.Themes, "generate: number of thematic areas")
	genSeed := fs.Uint64("seed", 1, "generate: random seed; the same seed and size give the same graph")
	batch := fs.Int("batch", synthetic.ChunkRows, "generate: nodes and relationships per write transaction")
	timings := fs.Bool("timings", false, "generate: also list the time spent writing each node kind and relationship type")
	timeout := fs.Duration("timeout", 5*time.Minute, "how long the whole command may take")
	report := fs.Bool("report", false, "import: list what did not resolve and every notice")
	strict := fs.Bool("strict-codes", false, "import-iati: refuse codes that are not on the shipped code lists")
	batched := fs.Int("batch-activities", 0, "import-iati: commit every N activities in a transaction of their own "+
		"(for files larger than one Neo4j transaction holds; not atomic, rerun to complete); 0: one transaction per file")
	metricsFile := fs.String("metrics-file", "", "import-iati, import-eutf: write the import's metrics (runs, rows, duration) to this file "+
		"in Prometheus's text format, for node_exporter's textfile collector")
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
		return generate(ctx, size, *genSeed, *batch, *timings)
	case "import-iati", "import-eutf", "datasets", "remove-dataset":
		metrics := telemetry.NewMetrics(0)
		err := imports(ctx, cmd, fs.Args(), *dir, *report, importer.Options{StrictCodes: *strict,
			Batched: *batched > 0, ChunkActivities: *batched}, metrics)
		if *metricsFile != "" && (cmd == "import-iati" || cmd == "import-eutf") {
			if werr := metrics.WriteImports(*metricsFile); werr != nil {
				return errors.Join(err, fmt.Errorf("-metrics-file: %w", werr))
			}
		}
		return err
	default:
		return fmt.Errorf("unknown command %q; want check, migrate, load, import-iati, import-eutf, datasets, remove-dataset or generate", cmd)
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
	sum, err := st.ReplaceDatasetSummary(store.WithLoadAuthor(ctx, "seed load"), store.DatasetCurated, d)
	if err != nil {
		return fmt.Errorf("load %s: %w", *dir, err)
	}
	fmt.Printf("seed: loaded %s: %d nodes, %d relationships\n", *dir, len(d.Nodes), len(d.Rels))
	if len(sum.Withheld) > 0 {
		fmt.Printf("seed: withheld %d items curators deleted (revert the deletion to have them back): %s\n",
			len(sum.Withheld), strings.Join(sum.Withheld, ", "))
	}
	if *eutfDir != "" {
		rep, err := importer.ImportEUTF(ctx, st, *eutfDir, importer.Options{})
		if err != nil {
			return err
		}
		fmt.Printf("seed: %s\n", rep.Summary())
	}
	return nil
}

// observeImport counts one import run in the metrics.
func observeImport(m *telemetry.Metrics, source string, rep *importer.Report, start time.Time, err error) {
	read, written := 0, 0
	if rep != nil {
		read, written = rep.Activities, rep.Written
	}
	m.ObserveImport(source, read, written, time.Since(start), err)
}

// imports runs the commands that import, list and remove datasets.
func imports(ctx context.Context, cmd string, args []string, dir string, report bool, opts importer.Options, metrics *telemetry.Metrics) error {
	var files []string
	if cmd == "import-iati" {
		var err error
		if files, err = iatiFiles(args); err != nil {
			return err
		}
	}
	st, closeStore, err := open()
	if err != nil {
		return err
	}
	defer closeStore()
	if _, err := st.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	show := func(rep *importer.Report) {
		if report {
			rep.WriteDetails(os.Stdout)
		} else {
			fmt.Printf("seed: %s\n", rep.Summary())
		}
	}
	switch cmd {
	case "import-iati":
		// Every file is checked before it is written; a file with errors writes nothing, and the
		// files after it are not imported either.
		for _, f := range files {
			start := time.Now()
			rep, err := importer.ImportIATIFile(ctx, st, f, opts)
			observeImport(metrics, "iati", rep, start, err)
			if err != nil {
				return err
			}
			show(rep)
		}
	case "import-eutf":
		if dir == "seed/data" {
			dir = "seed/eutf"
		}
		start := time.Now()
		rep, err := importer.ImportEUTF(ctx, st, dir, importer.Options{})
		observeImport(metrics, "eutf", rep, start, err)
		if err != nil {
			return err
		}
		show(rep)
	case "datasets":
		list, err := st.Datasets(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("%-50s %8s %8s %14s\n", "dataset", "nodes", "owned", "relationships")
		for _, d := range list {
			fmt.Printf("%-50s %8d %8d %14d\n", d.Name, d.Nodes, d.OwnedNodes, d.Relationships)
		}
	case "remove-dataset":
		if len(args) != 1 {
			return fmt.Errorf("usage: seed remove-dataset NAME (see seed datasets)")
		}
		list, err := st.Datasets(ctx)
		if err != nil {
			return err
		}
		var names []string
		for _, d := range list {
			names = append(names, d.Name)
		}
		if !slices.Contains(names, args[0]) {
			return fmt.Errorf("the graph has no dataset %q; it has %s", args[0], strings.Join(names, ", "))
		}
		sum, err := st.RemoveDataset(store.WithLoadAuthor(ctx, "seed remove"), args[0])
		if err != nil {
			return err
		}
		fmt.Printf("seed: removed dataset %s: %d items withdrawn\n", args[0], sum.Retracted)
	}
	return nil
}

// iatiFiles expands the arguments of import-iati: files as given, folders to their *.xml files.
func iatiFiles(args []string) ([]string, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("usage: seed import-iati [--report] [--strict-codes] FILE|DIR...")
	}
	var files []string
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, a)
			continue
		}
		matches, err := filepath.Glob(filepath.Join(a, "*.xml"))
		if err != nil {
			return nil, err
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("%s holds no .xml file", a)
		}
		files = append(files, matches...)
	}
	return files, nil
}

// generate replaces the graph with a synthetic one, streamed in chunks of batch rows.
func generate(ctx context.Context, size synthetic.Size, seed uint64, batch int, timings bool) error {
	st, closeStore, err := open()
	if err != nil {
		return err
	}
	defer closeStore()
	sum, err := synthetic.Write(ctx, st, size, seed, batch)
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	fmt.Printf("seed: generated %+v (seed %d): %d nodes, %d relationships in %d transactions; removing the old graph took %s, writing %s\n",
		size, seed, sum.Nodes, sum.Rels, sum.Transactions, sum.Removal.Round(time.Millisecond), sum.Writing.Round(time.Millisecond))
	if timings {
		for _, k := range slices.Sorted(maps.Keys(sum.Statements)) {
			fmt.Printf("seed:   %-16s %s\n", k, sum.Statements[k].Round(time.Millisecond))
		}
	}
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
