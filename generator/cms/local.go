package cms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"time"
)

// ServerScript is decap-server's entry point below the admin folder.
func ServerScript(adminDir string) string {
	return filepath.Join(adminDir, "node_modules", "decap-server", "dist", "index.js")
}

// ErrNotInstalled means the local backend is not installed under the admin folder, or node is
// missing.
var ErrNotInstalled = errors.New("decap-server is not installed")

// LocalBackend is decap-server running on this machine: the interface's backend that reads and
// writes the data folder directly, so that an editor can try the forms offline.
type LocalBackend struct {
	cmd  *exec.Cmd
	done chan error
}

// StartLocalBackend starts decap-server on addr (loopback only), serving repoDir, the folder
// that holds the data folder, in mode "fs" (files written as they are saved) or "git" (entries
// saved on branches of the git checkout repoDir, through the editorial workflow). It waits until
// the server answers.
func StartLocalBackend(ctx context.Context, adminDir, addr, mode, repoDir string, log io.Writer) (*LocalBackend, error) {
	node, err := exec.LookPath("node")
	script := ServerScript(adminDir)
	if _, serr := os.Stat(script); err != nil || serr != nil {
		return nil, ErrNotInstalled
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("local backend %q: %w", addr, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("local backend: %w", err)
	}
	ln.Close()
	cmd := exec.Command(node, script)
	cmd.Env = append(os.Environ(),
		"PORT="+port, "BIND_HOST="+host, "MODE="+mode, "GIT_REPO_DIRECTORY="+repoDir, "LOG_LEVEL=warn")
	cmd.Stdout, cmd.Stderr = log, log
	// Its own process group, so that Stop reaches node's children too; and a signal when the
	// thread that started it ends, so that it never outlives a killed serve. That thread stays
	// locked to the goroutine that waits for the server.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	b := &LocalBackend{cmd: cmd, done: make(chan error, 1)}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		b.done <- cmd.Wait()
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("local backend: %w", err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return b, nil
		}
		select {
		case err := <-b.done:
			return nil, fmt.Errorf("local backend exited: %v", err)
		case <-ctx.Done():
			b.Stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			b.Stop()
			return nil, fmt.Errorf("local backend: no answer on %s", addr)
		}
	}
}

// Stop ends the server and waits for it.
func (b *LocalBackend) Stop() {
	_ = syscall.Kill(-b.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-b.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
		<-b.done
	}
}
