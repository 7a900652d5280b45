package audio

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// festivalIdle is how long an idle Festival process is kept for the next
// chunk. Loading the HTS voice costs about 1.5 CPU seconds, more than
// synthesizing a paragraph, so one process reads all of an episode's
// chunks, and the next episode's when it follows soon.
const festivalIdle = 30 * time.Second

// festivalPrelude defines nl_say, which reads a text file in Festival's
// text mode (utterance by utterance, as text2wave does) and writes the
// joined waveform to a RIFF file. %s is the voice.
const festivalPrelude = `(gc-status nil)
(voice_%s)
(defvar nl_fp nil)
(defvar nl_total 0)
(defvar nl_utt nil)
(define (nl_save utt)
  (if (eq? nl_total 0)
      (wave.save.header nl_fp (utt.wave utt) 'riff nil (list (list "numsamples" 0))))
  (set! nl_total (+ nl_total (get_param 'num_samples (wave.info (utt.wave utt)) 0)))
  (wave.save.data.fp (utt.wave utt) nl_fp 'riff nil)
  (set! nl_utt utt))
(set! tts_hooks (list utt.synth nl_save))
(define (nl_say in out)
  (set! nl_total 0)
  (set! nl_utt nil)
  (set! nl_fp (fopen out "wb"))
  (tts_file in nil)
  (if nl_utt
      (begin
        (fseek nl_fp 0 0)
        (wave.save.header nl_fp (utt.wave nl_utt) 'riff nil (list (list "numsamples" nl_total)))))
  (fclose nl_fp))
`

// festivalMarker is written to stderr after each command, error or not:
// Festival reports a Scheme error on stderr and reads on. Stderr, because
// Festival's stdout is block-buffered on a pipe.
const festivalMarker = "nl-done"

// festivalProc is one `festival --pipe` process with the voice loaded.
type festivalProc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan string   // markers on stderr; closed when it ends
	quit   chan struct{} // closed by kill, so the reader never blocks
	stderr *syncBuffer   // stderr but the markers: Festival's complaints
	dir    string        // for the text and wave files
	idle   *time.Timer
}

// startFestival starts a process, loads the voice and waits until it is
// ready.
func startFestival(ctx context.Context, bin, voice string) (*festivalProc, error) {
	dir, err := os.MkdirTemp("", "newsline-festival-")
	if err != nil {
		return nil, err
	}
	// Not CommandContext: the process outlives the call that started it.
	cmd := exec.Command(bin, "--pipe")
	p := &festivalProc{cmd: cmd, stderr: &syncBuffer{}, dir: dir, lines: make(chan string, 16), quit: make(chan struct{})}
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		if isNotFound(err) {
			return nil, missing("festival", festivalInstall, err)
		}
		return nil, err
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		defer close(p.lines)
		for sc.Scan() {
			if sc.Text() != festivalMarker {
				io.WriteString(p.stderr, sc.Text()+"\n")
				continue
			}
			select {
			case p.lines <- sc.Text():
			case <-p.quit:
				return
			}
		}
	}()
	if err := p.do(ctx, fmt.Sprintf(festivalPrelude, voice)); err != nil {
		p.kill()
		return nil, err
	}
	if msg := p.stderr.take(); strings.Contains(msg, "unbound variable : voice_"+voice) {
		p.kill()
		return nil, missing("the Festival voice "+voice, festivalInstall, errors.New(firstLines(strings.TrimSpace(msg), 1)))
	}
	return p, nil
}

// do sends commands and waits for the marker printed after them.
func (p *festivalProc) do(ctx context.Context, commands string) error {
	if _, err := io.WriteString(p.stdin, commands+"\n(format stderr \""+festivalMarker+"\\n\")\n"); err != nil {
		return fmt.Errorf("festival: %w%s", err, p.detail())
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case _, ok := <-p.lines:
			if !ok {
				return fmt.Errorf("festival exited%s", p.detail())
			}
			return nil
		}
	}
}

// say synthesizes Latin-1 text and returns the WAV file.
func (p *festivalProc) say(ctx context.Context, latin1 []byte) ([]byte, error) {
	in, out := filepath.Join(p.dir, "in.txt"), filepath.Join(p.dir, "out.wav")
	if err := os.WriteFile(in, latin1, 0o600); err != nil {
		return nil, err
	}
	os.Remove(out)
	p.stderr.take()
	if err := p.do(ctx, fmt.Sprintf(`(nl_say %q %q)`, in, out)); err != nil {
		return nil, err
	}
	wav, err := os.ReadFile(out)
	if err != nil || len(wav) <= 44 {
		return nil, fmt.Errorf("festival wrote no audio%s", p.detail())
	}
	return wav, nil
}

func (p *festivalProc) detail() string {
	if msg := strings.TrimSpace(p.stderr.take()); msg != "" {
		return ": " + firstLines(msg, 3)
	}
	return ""
}

// kill ends the process and removes its files.
func (p *festivalProc) kill() {
	if p.idle != nil {
		p.idle.Stop()
	}
	close(p.quit)
	p.stdin.Close()
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
	os.RemoveAll(p.dir)
}

// syncBuffer is a bytes.Buffer a process writes to while another
// goroutine reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// take returns what was written since the last take.
func (b *syncBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}
