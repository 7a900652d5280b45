package main

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/audio"
	"github.com/newsline/newsline/config"
)

// errDoctor makes doctor exit 1 once it has printed what is wrong.
var errDoctor = errors.New("something is missing: see above")

func (a *app) doctorCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "doctor",
		Aliases: []string{"check"},
		Short:   "Check that the programs and voices speech needs are installed, and say what to install",
		Long: `Check what Newsline needs outside its binary to make podcast episodes: lame
for MP3, and each speech engine NEWSLINE_TTS_ENGINES names — Festival with its
voice, espeak-ng with its voices, or the HTTP speech server, which must answer.
Each line says what was found, or what to install. Exits 1 when anything is
missing; the worker still runs then, and its speech jobs retry until the
operator has installed it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.cfg.Validate(); err != nil {
				return usageError{err, "Run 'newsline doctor --help' for usage."}
			}
			sp, err := a.speaker()
			if err != nil {
				return err
			}
			defer sp.Close()
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "speech\t\t")
			bad := false
			for _, r := range sp.Check(cmd.Context()) {
				if r.Err != nil {
					bad = true
					fmt.Fprintln(tw, config.RedactText(fmt.Sprintf("  MISSING\t%s\t%s", r.What, r.Err)))
					continue
				}
				fmt.Fprintln(tw, config.RedactText(fmt.Sprintf("  ok\t%s\t%s", r.What, r.Found)))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if bad {
				fmt.Fprintln(a.stdout, "\nscripts/install-audio.sh installs Festival, its HTS voice, espeak-ng and lame on Debian and Ubuntu.")
				return errDoctor
			}
			return nil
		},
	}
}

// speaker returns the Speaker the configuration describes.
func (a *app) speaker() (*audio.Speaker, error) {
	opts := a.cfg.Speech
	opts.Logger = a.logger
	return audio.NewSpeaker(opts)
}
