package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progress prints a one-line, self-overwriting progress report on a
// terminal and a line every few seconds elsewhere.
type progress struct {
	w     io.Writer
	tty   bool
	total int64
	done  atomic.Int64
	fail  atomic.Int64
	mu    sync.Mutex
	last  time.Time
	label string
}

func (p *progress) add(ok bool) {
	if ok {
		p.done.Add(1)
	} else {
		p.fail.Add(1)
	}
	p.print(false)
}

func (p *progress) print(final bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !final && time.Since(p.last) < 200*time.Millisecond && p.tty || !final && !p.tty && time.Since(p.last) < 3*time.Second {
		return
	}
	p.last = time.Now()
	n := p.done.Load() + p.fail.Load()
	const width = 30
	filled := 0
	if p.total > 0 {
		filled = int(n * width / p.total)
	}
	bar := strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
	line := fmt.Sprintf("%s [%s] %d/%d (%d failed)", p.label, bar, n, p.total, p.fail.Load())
	if p.tty {
		fmt.Fprintf(p.w, "\r%s", line)
		if final {
			fmt.Fprintln(p.w)
		}
	} else {
		fmt.Fprintln(p.w, line)
	}
}
