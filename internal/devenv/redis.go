package devenv

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const redisStartTimeout = 20 * time.Second

type redisServer struct {
	bin  string
	root string
	port int
	log  *slog.Logger

	cmd     *exec.Cmd // nil when we adopted a server left by an earlier run
	done    chan struct{}
	waitErr error // valid once done is closed
}

func (r *redisServer) addr() string    { return net.JoinHostPort("127.0.0.1", strconv.Itoa(r.port)) }
func (r *redisServer) dataDir() string { return filepath.Join(r.root, "redis") }
func (r *redisServer) logFile() string { return filepath.Join(r.root, "redis.log") }

func (r *redisServer) start(ctx context.Context) error {
	if err := checkPortFree(r.port, "redis", "RedisPort"); err != nil {
		if r.isOurs(ctx) {
			r.log.Info("reusing running redis", "dir", r.dataDir(), "port", r.port)
			return nil
		}
		return err
	}
	if err := os.MkdirAll(r.dataDir(), 0o700); err != nil {
		return fmt.Errorf("devenv: create redis dir: %w", err)
	}
	// Redis writes to --logfile only once it has parsed its config; a bad
	// argument is reported on stderr, so send that to the same file.
	lf, err := os.OpenFile(r.logFile(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("devenv: open redis log: %w", err)
	}
	defer lf.Close()

	// Not CommandContext: the server must outlive Start's ctx.
	cmd := exec.Command(r.bin,
		"--port", strconv.Itoa(r.port),
		"--bind", "127.0.0.1",
		"--dir", r.dataDir(),
		"--appendonly", "yes",
		"--save", "",
		"--logfile", r.logFile(),
		"--daemonize", "no",
	)
	cmd.Dir = r.dataDir()
	cmd.Stdout, cmd.Stderr = lf, lf
	cmd.SysProcAttr = &syscall.SysProcAttr{
		// Out of the terminal's process group so Ctrl-C reaches only us,
		// and we shut Redis down after whatever still uses it.
		Setpgid: true,
		// If we die without calling Stop, Redis exits cleanly (SIGTERM
		// flushes the AOF) instead of holding the port for the next run.
		Pdeathsig: syscall.SIGTERM,
	}
	// Pdeathsig fires when the forking *thread* exits, not the process. So
	// fork from a goroutine locked to its thread until Redis exits: no other
	// goroutine can run on that thread and end it early (Go retires a thread
	// whose locked goroutine exits), and when this one exits, Redis is gone.
	r.done = make(chan struct{})
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		r.waitErr = cmd.Wait()
		close(r.done)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("devenv: start redis-server: %w", err)
	}
	r.cmd = cmd

	if err := r.waitReady(ctx); err != nil {
		return err
	}
	r.log.Info("started redis", "dir", r.dataDir(), "port", r.port, "pid", cmd.Process.Pid, "log", r.logFile())
	return nil
}

func (r *redisServer) waitReady(ctx context.Context) error {
	timeout := time.NewTimer(redisStartTimeout)
	defer timeout.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		// While loading the AOF Redis answers -LOADING, so only PONG counts.
		if reply, err := redisDo(ctx, r.addr(), "PING"); err == nil && len(reply) == 1 && reply[0] == "PONG" {
			return nil
		}
		select {
		case <-r.done:
			return fmt.Errorf("devenv: redis-server exited during startup (%v)\nlast lines of %s:%s",
				r.waitErr, r.logFile(), logTail(r.logFile(), 15))
		case <-ctx.Done():
			r.kill()
			return fmt.Errorf("devenv: start redis: %w", ctx.Err())
		case <-timeout.C:
			r.kill()
			return fmt.Errorf("devenv: redis-server did not answer PING on %s within %v; see %s:%s",
				r.addr(), redisStartTimeout, r.logFile(), logTail(r.logFile(), 15))
		case <-tick.C:
		}
	}
}

// isOurs tells a Redis left running by an earlier run on our data dir (and
// so safe to adopt) from an unrelated program on the port.
func (r *redisServer) isOurs(ctx context.Context) bool {
	reply, err := redisDo(ctx, r.addr(), "CONFIG", "GET", "dir")
	if err != nil || len(reply) != 2 {
		return false
	}
	want, err := filepath.EvalSymlinks(r.dataDir())
	return err == nil && reply[1] == want
}

func (r *redisServer) kill() {
	_ = r.cmd.Process.Kill()
	<-r.done
}

func (r *redisServer) stop(ctx context.Context) error {
	if r.cmd == nil {
		return r.shutdownAdopted(ctx)
	}
	// SIGTERM is Redis's clean shutdown, same as SHUTDOWN: it fsyncs the
	// AOF before exiting. An error means it already exited, which the
	// wait below reports.
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.done:
	case <-ctx.Done():
		r.kill()
		return fmt.Errorf("devenv: stop redis: %w", ctx.Err())
	}
	if r.waitErr != nil {
		return fmt.Errorf("devenv: stop redis: %w", r.waitErr)
	}
	r.log.Info("stopped redis", "dir", r.dataDir())
	return nil
}

// shutdownAdopted stops a Redis we did not start, so we have no process to
// signal or wait for: ask it to shut down and wait for the port to close.
func (r *redisServer) shutdownAdopted(ctx context.Context) error {
	// Success closes the connection without a reply.
	if _, err := redisDo(ctx, r.addr(), "SHUTDOWN"); err != nil && !errors.Is(err, io.EOF) {
		if checkPortFree(r.port, "", "") == nil {
			return nil // already gone
		}
		return fmt.Errorf("devenv: stop redis: %w", err)
	}
	for {
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", r.addr())
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("devenv: stop redis: %w", ctx.Err())
			}
			r.log.Info("stopped redis", "dir", r.dataDir())
			return nil
		}
		conn.Close()
		select {
		case <-ctx.Done():
			return fmt.Errorf("devenv: stop redis: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// redisDo sends one command over a fresh connection and returns the reply
// flattened to strings. A dozen lines of RESP beat pulling a client library
// and its logging into process supervision.
func redisDo(ctx context.Context, addr string, args ...string) ([]string, error) {
	d := net.Dialer{Timeout: 2 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	deadline := time.Now().Add(2 * time.Second)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	if err := conn.SetDeadline(deadline); err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := io.WriteString(conn, b.String()); err != nil {
		return nil, err
	}
	return readReply(bufio.NewReader(conn), 0)
}

// redisError is an error reply from the server.
type redisError string

func (e redisError) Error() string { return "redis: " + string(e) }

func readReply(br *bufio.Reader, depth int) ([]string, error) {
	if depth > 4 {
		return nil, errors.New("redis: reply nested too deeply")
	}
	line, err := br.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return nil, errors.New("redis: malformed reply")
	}
	switch line[0] {
	case '+', ':':
		return []string{line[1:]}, nil
	case '-':
		return nil, redisError(line[1:])
	case '$':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n > 1<<20 {
			return nil, errors.New("redis: malformed bulk length")
		}
		if n < 0 {
			return []string{""}, nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(br, buf); err != nil {
			return nil, err
		}
		return []string{string(buf[:n])}, nil
	case '*':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n > 1024 {
			return nil, errors.New("redis: malformed array length")
		}
		var out []string
		for range n {
			sub, err := readReply(br, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
		}
		return out, nil
	}
	return nil, fmt.Errorf("redis: unexpected reply %q", line)
}
