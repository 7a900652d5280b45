package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/cmd/newsline/internal/bench"
)

func (a *app) benchCommand() *cobra.Command {
	c := group(&cobra.Command{
		Use:   "bench",
		Short: "Measure Newsline against a baseline on a generated site",
		Long: `Benchmarks run the real system against a generated news site on loopback,
side by side with a baseline in the same process, and print the figures
(progress goes to stderr). With --json each figure is one JSON object per
line: {"bench":…,"system":…,"metric":…,"value":…,"unit":…,"class":…}.`,
	})
	c.AddCommand(a.benchCrawlCommand(), a.benchExtractCommand(), a.benchSearchCommand(), a.benchHTTPCommand(), a.benchAudioCommand(),
		a.benchReextractCommand(), a.benchCrawlWorkerCommand())
	return c
}

// writeMetrics prints a benchmark's figures for --json: one JSON object per
// line.
func writeMetrics(w io.Writer, metrics []bench.Metric) error {
	enc := json.NewEncoder(w)
	for _, m := range metrics {
		if err := enc.Encode(m); err != nil {
			return err
		}
	}
	return nil
}

// benchDatabase returns the database URL a benchmark is given: with no
// --database, the configured server's, where it creates a temporary
// database; else the database --database names (use is true), a name on
// that server or a URL.
func (a *app) benchDatabase(database string) (url string, use bool, err error) {
	switch {
	case database == "":
		return a.cfg.DatabaseURL, false, nil
	case strings.Contains(database, "://") || strings.Contains(database, "="):
		return database, true, nil
	}
	u, err := bench.SearchDatabaseURL(a.cfg.DatabaseURL, database)
	return u, true, err
}

// createProfile creates the file --cpuprofile names, for a benchmark's
// CPUProfile; with no name it returns a nil writer: no profile. The caller
// calls closeFile.
func createProfile(path string) (w io.Writer, closeFile func(), err error) {
	if path == "" {
		return nil, func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cpu profile: %w", err)
	}
	return f, func() { f.Close() }, nil
}

// benchProgress shows a benchmark's progress on a status line on stderr;
// format turns a state into the line that benchmark wants. Each phase
// leaves its last state on a line of its own.
func (a *app) benchProgress(format func(bench.Progress) string) (show func(bench.Progress), finish func()) {
	status := newStatusLine(a.stderr)
	phase := ""
	return func(p bench.Progress) {
		if p.Phase != phase {
			status.finish()
			phase = p.Phase
		}
		status.set(format(p))
	}, status.finish
}
