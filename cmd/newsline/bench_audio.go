package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/cmd/newsline/internal/bench"
)

func (a *app) benchAudioCommand() *cobra.Command {
	var (
		cfg     bench.AudioConfig
		engines string
		asJSON  bool
	)
	cmd := &cobra.Command{
		Use:     "audio",
		Aliases: []string{"speech", "tts"},
		Short:   "Read fixed articles aloud with each installed speech engine and measure speed and size",
		Long: `Synthesize a fixed set of English articles — short (about 60 words), medium
(about 270) and long (about 680), with headings, numbers and quotes — with
each installed speech engine in turn, through the same path as an episode
(text preparation, chunks, lame, tags, atomic write), and print per engine
and article: the real-time factor (seconds of audio per wall-clock second),
CPU seconds per minute of audio (this process and the engine and lame
processes it runs, loading Festival's voice once per article; a speech
server's own CPU is not seen), and megabytes of
MP3 per minute of audio, at the configured NEWSLINE_TTS_BITRATE and
NEWSLINE_TTS_SAMPLE_RATE.

Engines that are not installed are listed as skipped; the http engine is
measured only when NEWSLINE_TTS_HTTP_URL is set. --samples DIR writes a
short sample per engine (DIR/ENGINE.mp3) for a person to listen to.`,
		Example: `  newsline bench audio
  newsline bench audio --engines espeak-ng --json
  newsline bench audio --samples /tmp/samples`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.cfg.Validate(); err != nil {
				return usageError{err, "Run 'newsline bench audio --help' for usage."}
			}
			for name := range strings.SplitSeq(engines, ",") {
				if name = strings.TrimSpace(name); name == "" {
					continue
				}
				if !slices.Contains(bench.AudioEngines, name) {
					return usageError{fmt.Errorf("unknown engine %q; engines: %s", name, strings.Join(bench.AudioEngines, ", ")), "Usage: " + cmd.UseLine()}
				}
				cfg.Engines = append(cfg.Engines, name)
			}
			cfg.Speech = a.cfg.Speech
			cfg.Speech.Logger = a.logger
			show, finish := a.benchProgress(audioProgressLine)
			cfg.Progress = show
			res, err := bench.Audio(cmd.Context(), cfg)
			finish()
			if err != nil {
				return err
			}
			if asJSON {
				return writeMetrics(a.stdout, res.Metrics())
			}
			return printAudioBench(a.stdout, res)
		},
	}
	f := cmd.Flags()
	f.StringVar(&engines, "engines", "", "engines to measure, comma-separated (default: every installed one)")
	f.StringVar(&cfg.SamplesDir, "samples", "", "write a short sample per engine to DIR/ENGINE.mp3")
	f.BoolVar(&asJSON, "json", false, "print one JSON object per figure and line")
	return cmd
}

func audioProgressLine(s bench.Progress) string {
	return fmt.Sprintf("%s: %d/%d articles, %.0f s", s.Phase, s.Done, s.Total, s.Elapsed.Seconds())
}

func printAudioBench(w io.Writer, r *bench.AudioResult) error {
	fmt.Fprintf(w, "audio benchmark: fixed English articles, MP3 at %d kbit/s, %d Hz, mono\n\n", r.Bitrate, r.SampleRate)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "engine\tarticle\tchunks\taudio s\twall s\trtf (audio s/wall s)\tcpu s/audio min\tMB/audio min\t")
	var notes []string
	for _, e := range r.Engines {
		if e.Skipped != nil {
			notes = append(notes, fmt.Sprintf("%s: skipped: %v", e.Engine, e.Skipped))
			continue
		}
		for _, run := range e.Runs {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%.1f\t%.2f\t%.2f\t%.3f\t\n", e.Engine, run.Class, run.Chunks,
				run.Audio.Seconds(), run.Wall.Seconds(), run.RTF(), run.CPUPerMinute(), run.MBPerMinute())
			if run.Samples != "" {
				notes = append(notes, fmt.Sprintf("%s sample: %s", e.Engine, run.Samples))
			}
		}
		notes = append(notes, fmt.Sprintf("%s: %s", e.Engine, e.Found))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
	}
	for _, n := range notes {
		fmt.Fprintln(w, n)
	}
	return nil
}
