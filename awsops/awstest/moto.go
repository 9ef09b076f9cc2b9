//go:build unix

package awstest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"
)

// MotoHint is how to install moto, the AWS emulator.
const MotoHint = "pip install 'moto[server]'"

// Moto is a test package's one moto_server (an AWS emulator, see the
// shared docs' testing.md): started on first use, reset for every test,
// and stopped by Stop (its process group) from TestMain.
type Moto struct {
	// Env is added to the server's environment, e.g.
	// MOTO_IAM_LOAD_MANAGED_POLICIES=true.
	Env []string

	once   sync.Once
	cmd    *exec.Cmd
	exited chan error
	url    string
	err    error
	skip   string
}

// URL returns the running emulator's URL (http://127.0.0.1:PORT) with its
// state reset. It skips the test under -short (.ci/run runs the moto tests
// once, not again under -race) and when moto is not installed, which fails
// instead under CI=true.
func (m *Moto) URL(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("moto tests run in the full pass (without -short); .ci/run runs them once, not again under -race")
	}
	m.once.Do(m.start)
	if m.skip != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s; CI=true requires moto (%s)", m.skip, MotoHint)
		}
		t.Skipf("%s: install moto to run the AWS emulator tests (%s)", m.skip, MotoHint)
	}
	if m.err != nil {
		t.Fatalf("moto_server: %v", m.err)
	}
	resp, err := http.Post(m.url+"/moto-api/reset", "application/json", nil)
	if err != nil {
		t.Fatalf("resetting moto: %v", err)
	}
	resp.Body.Close()
	return m.url
}

func (m *Moto) start() {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		m.skip = "moto_server is not on PATH"
		return
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		m.err = err
		return
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	m.url = fmt.Sprintf("http://127.0.0.1:%d", port)
	var logs bytes.Buffer
	m.cmd = exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	m.cmd.Env = append(os.Environ(), m.Env...)
	m.cmd.Stdout, m.cmd.Stderr = &logs, &logs
	m.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := m.cmd.Start(); err != nil {
		m.err, m.cmd = err, nil
		return
	}
	exited := make(chan error, 1)
	m.exited = exited
	go func() { exited <- m.cmd.Wait() }()
	deadline := time.After(60 * time.Second)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-exited:
			m.err = fmt.Errorf("exited before it was ready (%v): %s", err, logs.String())
			m.cmd = nil
			return
		case <-deadline:
			m.err = fmt.Errorf("not ready after 60s: %s", logs.String())
			return
		case <-tick.C:
			if resp, err := http.Get(m.url + "/moto-api/"); err == nil {
				resp.Body.Close()
				return
			}
		}
	}
}

// Stop ends the server that was started (if any): its process group.
func (m *Moto) Stop() {
	if m.cmd == nil || m.cmd.Process == nil {
		return
	}
	pgid := m.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-m.exited:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-m.exited
	}
}
