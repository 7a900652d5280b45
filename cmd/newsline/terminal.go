package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// isTerminal reports whether w is a terminal, where a status line can be
// rewritten in place and highlights can be colored.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// statusLine shows a changing one-line status, the one way the commands
// report progress: on a terminal the line is rewritten in place at most
// every 200 ms; elsewhere (a log file, a pipe) a line is printed every few
// seconds, so a log holds a trace without a flood. It is safe for
// concurrent use.
type statusLine struct {
	w     io.Writer
	tty   bool
	mu    sync.Mutex
	last  time.Time // when a line was last printed
	line  string    // the latest state
	shown bool      // line is on screen already, for good
}

func newStatusLine(w io.Writer) *statusLine {
	return &statusLine{w: w, tty: isTerminal(w)}
}

// set makes line the current state and prints it unless a line was
// printed too recently.
func (s *statusLine) set(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.line, s.shown = line, false
	every := 3 * time.Second
	if s.tty {
		every = 200 * time.Millisecond
	}
	if time.Since(s.last) < every {
		return
	}
	s.last = time.Now()
	if s.tty {
		fmt.Fprintf(s.w, "\r\033[K%s", line)
	} else {
		fmt.Fprintln(s.w, line)
		s.shown = true
	}
}

// finish prints the latest state for good, and lets the next set print at
// once: a new phase starts on a line of its own.
func (s *statusLine) finish() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = time.Time{}
	if s.line == "" || s.shown {
		return
	}
	if s.tty {
		fmt.Fprintf(s.w, "\r\033[K%s\n", s.line)
	} else {
		fmt.Fprintln(s.w, s.line)
	}
	s.line = ""
}

// lockedWriter makes a writer that is not a file (a buffer, in tests) safe
// for writers in several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
