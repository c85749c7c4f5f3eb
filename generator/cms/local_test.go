package cms_test

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/generator/cms"
)

func TestLocalBackendNotInstalled(t *testing.T) {
	_, err := cms.StartLocalBackend(context.Background(), t.TempDir(), "127.0.0.1:0", "fs", t.TempDir(), io.Discard)
	if !errors.Is(err, cms.ErrNotInstalled) {
		t.Errorf("without decap-server: got %v, want ErrNotInstalled", err)
	}
}

func TestLocalBackendAddressInUse(t *testing.T) {
	admin := t.TempDir()
	script := cms.ServerScript(admin)
	if err := os.MkdirAll(filepath.Dir(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, []byte("setInterval(() => {}, 1000)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	b, err := cms.StartLocalBackend(context.Background(), admin, ln.Addr().String(), "fs", t.TempDir(), io.Discard)
	if err == nil {
		b.Stop()
		t.Fatal("on a busy address: got no error, want one")
	}
	if errors.Is(err, cms.ErrNotInstalled) {
		if os.Getenv("CI") == "true" {
			t.Fatal("node is missing; CI installs it")
		}
		t.Skip("node is not installed")
	}
	if !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("on a busy address: got %v, want it to say the address is in use", err)
	}
}
