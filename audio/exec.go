package audio

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// run runs a program with stdin and copies its output to w; its standard
// error becomes part of the error.
func run(ctx context.Context, stdin io.Reader, w io.Writer, name string, args ...string) error {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, w, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return fmt.Errorf("%w: %s", err, firstLines(msg, 3))
		}
		return err
	}
	return nil
}

// output runs a program and returns what it printed.
func output(ctx context.Context, name string, args ...string) (string, error) {
	var out bytes.Buffer
	err := run(ctx, nil, &out, name, args...)
	return out.String(), err
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, " / ")
}
