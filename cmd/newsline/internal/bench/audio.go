package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/newsline/newsline/audio"
)

// AudioEngines are the engines the audio benchmark knows, in the order it
// runs them.
var AudioEngines = []string{"festival", "espeak-ng", "http"}

// AudioConfig configures the audio benchmark.
type AudioConfig struct {
	// Speech holds the MP3 settings and each engine's own; Engines is
	// replaced per engine measured.
	Speech audio.Options
	// Engines to measure; every one of AudioEngines when empty (http only
	// when Speech.HTTP.URL is set).
	Engines []string
	// SamplesDir, when set, receives a short sample per engine,
	// ENGINE.mp3.
	SamplesDir string
	Progress   func(Progress)
}

// AudioRun is what one engine measured on one article, or on all.
type AudioRun struct {
	Class   string // short, medium, long, or all
	Audio   time.Duration
	Wall    time.Duration
	CPU     time.Duration // this process and its children (engine and lame processes)
	Bytes   int64
	Chunks  int
	Samples string // path of the sample, on the "all" row
}

// RTF is seconds of audio per wall-clock second.
func (r AudioRun) RTF() float64 { return r.Audio.Seconds() / r.Wall.Seconds() }

// CPUPerMinute is CPU seconds per minute of audio.
func (r AudioRun) CPUPerMinute() float64 { return r.CPU.Seconds() / r.Audio.Minutes() }

// MBPerMinute is megabytes of MP3 per minute of audio.
func (r AudioRun) MBPerMinute() float64 { return float64(r.Bytes) / 1e6 / r.Audio.Minutes() }

// AudioEngineResult is one engine's figures.
type AudioEngineResult struct {
	Engine  string
	Version string
	Found   string // what Check found
	Skipped error  // why the engine was not measured (not installed)
	Runs    []AudioRun
}

// AudioResult is the audio benchmark's outcome.
type AudioResult struct {
	Bitrate, SampleRate int
	Engines             []AudioEngineResult
}

// Audio synthesizes the fixed articles with each engine, one at a time,
// and measures real-time factor, CPU time and size per audio minute.
// Engines that are not installed are reported as skipped.
func Audio(ctx context.Context, cfg AudioConfig) (*AudioResult, error) {
	names := cfg.Engines
	if len(names) == 0 {
		for _, n := range AudioEngines {
			if n != "http" || cfg.Speech.HTTP.URL != "" {
				names = append(names, n)
			}
		}
	}
	tmp, err := os.MkdirTemp("", "newsline-bench-audio-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	res := &AudioResult{}
	for _, name := range names {
		opts := cfg.Speech
		opts.Engines = map[string]string{"*": name}
		sp, err := audio.NewSpeaker(opts)
		if err != nil {
			return nil, fmt.Errorf("bench audio: %s: %w", name, err)
		}
		res.Bitrate, res.SampleRate = sp.Bitrate(), sp.SampleRate()
		er, err := benchEngine(ctx, sp, opts, name, tmp, cfg)
		sp.Close()
		if err != nil {
			return nil, err
		}
		res.Engines = append(res.Engines, er)
	}
	return res, nil
}

// benchEngine measures one engine. sp checks it and writes the sample;
// each article gets a Speaker of its own, closed before its CPU time is
// read, so that processes an engine keeps between chunks (Festival's)
// have ended and their CPU time is counted, voice loading included.
func benchEngine(ctx context.Context, sp *audio.Speaker, opts audio.Options, name, tmp string, cfg AudioConfig) (AudioEngineResult, error) {
	er := AudioEngineResult{Engine: name}
	eng, err := sp.Engine("en")
	if err != nil {
		return er, err
	}
	er.Version = eng.Version()
	for _, c := range sp.Check(ctx) {
		if c.Err != nil {
			er.Skipped = c.Err
			return er, nil
		}
		er.Found = c.Found // the engine's line comes after lame's
	}
	all := AudioRun{Class: "all"}
	start := time.Now()
	for i, a := range audioArticles {
		if cfg.Progress != nil {
			cfg.Progress(Progress{Phase: name, Done: i, Total: len(audioArticles), Elapsed: time.Since(start)})
		}
		run, err := renderTimed(ctx, opts, a.script, filepath.Join(tmp, name+"-"+a.class+".mp3"))
		if err != nil {
			return er, fmt.Errorf("bench audio: %s, %s article: %w", name, a.class, err)
		}
		run.Class = a.class
		er.Runs = append(er.Runs, run)
		all.Audio += run.Audio
		all.Wall += run.Wall
		all.CPU += run.CPU
		all.Bytes += run.Bytes
		all.Chunks += run.Chunks
	}
	if cfg.Progress != nil {
		cfg.Progress(Progress{Phase: name, Done: len(audioArticles), Total: len(audioArticles), Elapsed: time.Since(start)})
	}
	if cfg.SamplesDir != "" {
		path, err := writeSample(ctx, sp, name, cfg.SamplesDir)
		if err != nil {
			return er, err
		}
		all.Samples = path
	}
	er.Runs = append(er.Runs, all)
	return er, nil
}

// renderTimed renders one script and measures it.
func renderTimed(ctx context.Context, opts audio.Options, sc audio.Script, path string) (AudioRun, error) {
	cpu0, err := cpuTime()
	if err != nil {
		return AudioRun{}, err
	}
	t0 := time.Now()
	sp, err := audio.NewSpeaker(opts)
	if err != nil {
		return AudioRun{}, err
	}
	r, err := sp.Render(ctx, sc, sc.Tags("Newsline benchmark", ""), path)
	sp.Close()
	if err != nil {
		return AudioRun{}, err
	}
	wall := time.Since(t0)
	cpu1, err := cpuTime()
	if err != nil {
		return AudioRun{}, err
	}
	if r.Duration <= 0 {
		return AudioRun{}, errors.New("rendered no audio")
	}
	return AudioRun{Audio: r.Duration, Wall: wall, CPU: cpu1 - cpu0, Bytes: r.Bytes, Chunks: len(r.Chunks)}, nil
}

// writeSample renders the short article's title and first paragraph to
// DIR/ENGINE.mp3, for a person to listen to.
func writeSample(ctx context.Context, sp *audio.Speaker, name, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("bench audio: samples: %w", err)
	}
	sc := audioArticles[0].script
	sc.Body = sc.Body[:1]
	path, err := filepath.Abs(filepath.Join(dir, name+".mp3"))
	if err != nil {
		return "", err
	}
	if _, err := sp.Render(ctx, sc, sc.Tags("Newsline benchmark sample", ""), path); err != nil {
		return "", fmt.Errorf("bench audio: sample of %s: %w", name, err)
	}
	return path, nil
}

// cpuTime is the user and system CPU time of this process and of its
// children that have been waited for: every engine and lame process a
// render starts.
func cpuTime() (time.Duration, error) {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if err := syscall.Getrusage(who, &ru); err != nil {
			return 0, fmt.Errorf("getrusage: %w", err)
		}
		total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return total, nil
}

// Metrics lists the audio benchmark's figures: per engine (system) and
// article class, the real-time factor, CPU seconds and megabytes per
// audio minute, and the audio and wall seconds they come from.
func (r *AudioResult) Metrics() []Metric {
	var out []Metric
	for _, e := range r.Engines {
		for _, run := range e.Runs {
			out = append(out,
				Metric{"audio", e.Engine, "rtf", round(run.RTF(), 2), "audio s/wall s", run.Class},
				Metric{"audio", e.Engine, "cpu_per_audio_min", round(run.CPUPerMinute(), 2), "cpu s/audio min", run.Class},
				Metric{"audio", e.Engine, "mb_per_audio_min", round(run.MBPerMinute(), 3), "MB/audio min", run.Class},
				Metric{"audio", e.Engine, "audio_seconds", round(run.Audio.Seconds(), 2), "s", run.Class},
				Metric{"audio", e.Engine, "wall_seconds", round(run.Wall.Seconds(), 2), "s", run.Class},
			)
		}
	}
	return out
}
