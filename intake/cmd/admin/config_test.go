package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConfigPrecedence: each of the admin's settings comes from a flag, else the environment,
// else the config file named by -config or SHAPS_CONFIG, else its default.
func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "admin.yaml")
	text := "cases: " + filepath.Join(dir, "file.db") + "\nadmin: dal-file\nadmin_pull_every: 1h\nnotify_citizens: false\n" +
		"smtp_require_tls: false\nadmin_addr: 127.0.0.1:9001\nadmin_token: token-dal-file-lungo\nrate_limit: 3\n"
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.toml")
	if err := os.WriteFile(other, []byte("admin = \"da-config\"\ncases = \""+filepath.Join(dir, "other.db")+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	type want struct {
		cases, actor, addr, token string
		every                     time.Duration
		notify, requireTLS, proxy bool
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want want
	}{
		{name: "defaults", env: map[string]string{"SHAPS_CASES": filepath.Join(dir, "d.db"), "USER": "utente"},
			want: want{filepath.Join(dir, "d.db"), "utente", "127.0.0.1:8765", "", 5 * time.Minute, true, true, false}},
		{name: "the file", env: map[string]string{"SHAPS_CONFIG": file},
			want: want{filepath.Join(dir, "file.db"), "dal-file", "127.0.0.1:9001", "token-dal-file-lungo", time.Hour, false, false, false}},
		{name: "the environment over the file", env: map[string]string{"SHAPS_CONFIG": file, "SHAPS_ADMIN": "da-env", "SHAPS_ADMIN_PULL_EVERY": "2m",
			"SHAPS_NOTIFY_CITIZENS": "true", "SHAPS_ADMIN_BEHIND_TLS_PROXY": "true", "SHAPS_ADMIN_ADDR": "127.0.0.1:9002"},
			want: want{filepath.Join(dir, "file.db"), "da-env", "127.0.0.1:9002", "token-dal-file-lungo", 2 * time.Minute, true, false, true}},
		{name: "flags over the environment", args: []string{"-addr", "127.0.0.1:9003", "-pull-every", "0", "-behind-tls-proxy=false"},
			env:  map[string]string{"SHAPS_CONFIG": file, "SHAPS_ADMIN_PULL_EVERY": "2m", "SHAPS_ADMIN_BEHIND_TLS_PROXY": "true", "SHAPS_ADMIN_ADDR": "127.0.0.1:9002"},
			want: want{filepath.Join(dir, "file.db"), "dal-file", "127.0.0.1:9003", "token-dal-file-lungo", 0, false, false, false}},
		{name: "-config over SHAPS_CONFIG", args: []string{"-config", other}, env: map[string]string{"SHAPS_CONFIG": file},
			want: want{filepath.Join(dir, "other.db"), "da-config", "127.0.0.1:8765", "", 5 * time.Minute, true, true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &app{getenv: func(k string) string { return tt.env[k] }, stdout: io.Discard, stderr: io.Discard, now: time.Now}
			defer a.closeStore()
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			if _, err := a.parse(fs, tt.args, "addr", "tls-cert", "tls-key", "pull-every", "behind-tls-proxy"); err != nil {
				t.Fatal(err)
			}
			c := a.cfg
			got := want{c.Cases, c.Actor, c.Serve.Addr, c.Serve.Token, c.Serve.PullEvery, c.Notify, c.SMTP.RequireTLS, c.Serve.BehindProxy}
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestConfigUnparsable: a value the admin cannot read stops every command with the variable's
// name, rather than passing for a default (a mistyped "false" used to leave e-mails to citizens on).
func TestConfigUnparsable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "admin.yaml")
	if err := os.WriteFile(file, []byte("notify_citizens: nope\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		env     map[string]string
		args    []string
		wantErr string
	}{
		{map[string]string{"SHAPS_ADMIN_PULL_EVERY": "5 minuti"}, []string{"list"}, `SHAPS_ADMIN_PULL_EVERY="5 minuti": want a duration like 5m, or 0`},
		{map[string]string{"SHAPS_NOTIFY_CITIZENS": "no"}, []string{"list"}, `SHAPS_NOTIFY_CITIZENS="no": want true or false`},
		{map[string]string{"SHAPS_CONFIG": file}, []string{"pull"}, `SHAPS_NOTIFY_CITIZENS="nope": want true or false (key notify_citizens in ` + file + ")"},
		{map[string]string{"SHAPS_RATE_LIMIT": "dieci"}, []string{"list"}, `SHAPS_RATE_LIMIT="dieci": want a whole number`},
		{nil, []string{"serve", "-pull-every", "spesso"}, `-pull-every "spesso": want a duration like 5m, or 0`},
		{map[string]string{"SHAPS_ADMIN_PULL_EVERY": "-5m"}, []string{"list"}, `SHAPS_ADMIN_PULL_EVERY (-pull-every): want a duration like 5m, or 0, not less`},
	} {
		env := map[string]string{"SHAPS_CASES": filepath.Join(dir, "cases.db")}
		for k, v := range tc.env {
			env[k] = v
		}
		var out bytes.Buffer
		err := run(context.Background(), tc.args, func(k string) string { return env[k] }, nil, &out, &out, time.Now)
		if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
			t.Errorf("admin %v with %v: got error %v, want one starting %q", tc.args, tc.env, err, tc.wantErr)
		}
	}
}
