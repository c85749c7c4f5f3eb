package setup_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/intake/setup"
	"github.com/shaps-portal/shaps/intake/status/boardtest"
	"github.com/shaps-portal/shaps/intake/status/s3board/s3test"
)

func TestOpenStatus(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg, err := setup.Load(func(k string) string {
		return map[string]string{"SHAPS_STATUS_DIR": filepath.Join(dir, "status"), "SHAPS_SIGNING_KEY_FILE": filepath.Join(dir, "keys", "signing-key")}[k]
	}, nil)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := setup.OpenStatus(ctx, cfg, setup.SecretFromEnv); err == nil || !strings.Contains(err.Error(), "SHAPS_SIGNING_KEY is not set") {
		t.Errorf("the function without SHAPS_SIGNING_KEY: got %v, want a refusal to start", err)
	}

	first, err := setup.OpenStatus(ctx, cfg, setup.SecretLocal)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "keys", "signing-key")
	info, err := os.Stat(file)
	if err != nil {
		t.Fatalf("the local secret: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("the local secret's mode: got %v, want 0600", info.Mode().Perm())
	}
	second, err := setup.OpenStatus(ctx, cfg, setup.SecretLocal)
	if err != nil {
		t.Fatal(err)
	}
	received := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	key := first.Signer.Key("VG-7K4M-Q2", received)
	if _, ok := second.Signer.Check("VG-7K4M-Q2", key); !ok {
		t.Error("a key made by serve is refused by the admin command on the same machine: want both to keep one local secret")
	}

	cfg.SigningKey = "another secret, set for the function!"
	env, err := setup.OpenStatus(ctx, cfg, setup.SecretFromEnv)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := env.Signer.Check("VG-7K4M-Q2", key); ok {
		t.Error("a key made with the local secret is accepted with SHAPS_SIGNING_KEY: want the variable to win")
	}
}

// TestFunctionReadsWhatTheOfficeWrites: configured alike, the function's reader finds in the
// bucket what the admin command's board wrote there, and keys made by one check in the other.
func TestFunctionReadsWhatTheOfficeWrites(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	env := srv.Env()
	env["SHAPS_SIGNING_KEY"] = "0123456789abcdef0123456789abcdef"
	env["SHAPS_AWS_ACCESS_KEY_ID"], env["SHAPS_AWS_SECRET_ACCESS_KEY"] = "test", "test"
	cfg, err := setup.Load(func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	office, err := setup.OpenStatus(ctx, cfg, setup.SecretLocal)
	if err != nil {
		t.Fatal(err)
	}
	function, err := setup.OpenStatusReader(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if function.Board != nil {
		t.Error("the function's status: got a board it could write, want a reader only")
	}
	want := boardtest.Sample("VG-7K4M-Q2")
	if err := office.Board.Put(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := function.Reader.Get(ctx, want.Code)
	if err != nil || got.Status() != want.Status() || got.Note != want.Note {
		t.Errorf("the function read %+v, %v, want %+v", got, err, want)
	}
	received := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	if _, ok := function.Signer.Check(want.Code, office.Signer.Key(want.Code, received)); !ok {
		t.Error("a key the office made is refused by the function")
	}
}
