package audio

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// lameInstall is what the operator runs when lame is missing.
const lameInstall = "apt-get install lame"

// encoder feeds mono 16-bit samples to a lame process that writes an MP3
// file.
type encoder struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr bytes.Buffer
	rate   int
	buf    []byte
}

// startLame starts lame reading raw samples at inRate and writing path,
// resampled to outRate, at bitrate kbit/s, mono, constant bitrate (so
// players seek exactly), with no tags of its own.
func startLame(ctx context.Context, bin string, inRate, outRate, bitrate int, path string) (*encoder, error) {
	khz := func(hz int) string { return strconv.FormatFloat(float64(hz)/1000, 'f', -1, 64) }
	args := []string{"--quiet", "-r", "-s", khz(inRate), "--bitwidth", "16", "--signed", "--little-endian",
		"-m", "m", "--resample", khz(outRate), "--cbr", "-b", strconv.Itoa(bitrate), "-", path}
	cmd := exec.CommandContext(ctx, bin, args...)
	e := &encoder{cmd: cmd, rate: inRate}
	cmd.Stderr = &e.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("lame: %w", err)
	}
	e.stdin = stdin
	if err := cmd.Start(); err != nil {
		if isNotFound(err) {
			return nil, missing("lame", lameInstall, err)
		}
		return nil, fmt.Errorf("lame: %w", err)
	}
	return e, nil
}

func (e *encoder) write(samples []int16) error {
	e.buf = e.buf[:0]
	for _, s := range samples {
		e.buf = binary.LittleEndian.AppendUint16(e.buf, uint16(s))
	}
	if _, err := e.stdin.Write(e.buf); err != nil {
		return fmt.Errorf("lame: %w%s", err, e.detail())
	}
	return nil
}

func (e *encoder) silence(n int) error {
	return e.write(make([]int16, n))
}

// finish closes lame's input and waits for the file to be written.
func (e *encoder) finish() error {
	err := e.stdin.Close()
	if werr := e.cmd.Wait(); werr != nil {
		return fmt.Errorf("lame: %w%s", werr, e.detail())
	}
	if err != nil {
		return fmt.Errorf("lame: %w", err)
	}
	return nil
}

// abort stops lame, for an episode that failed half way.
func (e *encoder) abort() {
	e.stdin.Close()
	if e.cmd.Process != nil {
		_ = e.cmd.Process.Kill()
	}
	_ = e.cmd.Wait()
}

func (e *encoder) detail() string {
	if s := strings.TrimSpace(e.stderr.String()); s != "" {
		return ": " + s
	}
	return ""
}

// lameVersion returns lame's version line, or an error naming what to
// install.
func lameVersion(ctx context.Context, bin string) (string, error) {
	out, err := exec.CommandContext(ctx, bin, "--version").Output()
	if err != nil {
		return "", missing("lame", lameInstall, err)
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(line), nil
}
