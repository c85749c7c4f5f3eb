package settings_test

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shaps-portal/shaps/generator/settings"
)

var table = settings.Table{
	{Key: "name", Env: "SHAPS_NAME", Flag: "name", Default: "default"},
	{Key: "every", Env: "SHAPS_EVERY", Flag: "every", Default: "5m", Kind: settings.Duration},
	{Key: "on", Env: "SHAPS_ON", Flag: "on", Default: "true", Kind: settings.Bool},
	{Key: "count", Env: "SHAPS_COUNT", Default: "3", Kind: settings.Int, Want: "a count of days"},
	{Key: "who", Env: "SHAPS_WHO", Kind: settings.Map},
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	file := write("c.yaml", "name: file\nevery: 1h\non: false\ncount: 7\nwho:\n  anna: h1\n  bruno: h2\n")
	other := write("d.toml", "name = \"other\"\n")
	badFile := write("bad.yaml", "every: often\n")
	type want struct {
		name  string
		every time.Duration
		on    bool
		count int
		who   map[string]string
	}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    want
		source  string // of "name"
		wantErr string
	}{
		{name: "defaults", want: want{"default", 5 * time.Minute, true, 3, map[string]string{}}, source: "default"},
		{name: "file over default", env: map[string]string{"SHAPS_CONFIG": file},
			want: want{"file", time.Hour, false, 7, map[string]string{"anna": "h1", "bruno": "h2"}}, source: "file"},
		{name: "environment over file", env: map[string]string{"SHAPS_CONFIG": file, "SHAPS_NAME": "env", "SHAPS_COUNT": "9", "SHAPS_WHO": "carla:h3, dario:h4"},
			want: want{"env", time.Hour, false, 9, map[string]string{"carla": "h3", "dario": "h4"}}, source: "env"},
		{name: "flag over environment", args: []string{"-name", "flag", "-on", "-every", "2s"}, env: map[string]string{"SHAPS_CONFIG": file, "SHAPS_NAME": "env"},
			want: want{"flag", 2 * time.Second, true, 7, map[string]string{"anna": "h1", "bruno": "h2"}}, source: "flag"},
		{name: "-config over SHAPS_CONFIG", args: []string{"-config", other}, env: map[string]string{"SHAPS_CONFIG": file},
			want: want{"other", 5 * time.Minute, true, 3, map[string]string{}}, source: "file"},
		{name: "missing file", env: map[string]string{"SHAPS_CONFIG": file + ".missing"}, wantErr: "read config " + file + ".missing"},
		{name: "duration in the environment", env: map[string]string{"SHAPS_EVERY": "5 minutes"}, wantErr: `SHAPS_EVERY="5 minutes": want a duration such as 90s, 5m or 24h`},
		{name: "duration in the file", env: map[string]string{"SHAPS_CONFIG": badFile}, wantErr: `SHAPS_EVERY="often": want a duration such as 90s, 5m or 24h (key every in ` + badFile + ")"},
		{name: "duration as a flag", args: []string{"-every", "soon"}, wantErr: `-every "soon": want a duration`},
		{name: "bool", env: map[string]string{"SHAPS_ON": "yes please"}, wantErr: `SHAPS_ON="yes please": want true or false`},
		{name: "int, with its own words", env: map[string]string{"SHAPS_COUNT": "seven"}, wantErr: `SHAPS_COUNT="seven": want a count of days`},
		{name: "map", env: map[string]string{"SHAPS_WHO": "anna"}, wantErr: `SHAPS_WHO="anna": want NAME:VALUE pairs`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			table.Define(fs, "name", "every", "on")
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			v, err := table.Load(fs, func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("Load error = %v, want one starting %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := want{v.String("name"), v.Duration("every"), v.Bool("on"), v.Int("count"), v.Map("who")}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Load = %+v, want %+v", got, tt.want)
			}
			if s := v.Source("name"); s != tt.source {
				t.Errorf("source of name = %q, want %q", s, tt.source)
			}
		})
	}
}

func TestAllErrorsAtOnce(t *testing.T) {
	env := map[string]string{"SHAPS_EVERY": "x", "SHAPS_ON": "y", "SHAPS_COUNT": "z"}
	_, err := table.Load(nil, func(k string) string { return env[k] })
	if err == nil {
		t.Fatal("Load: no error, want three")
	}
	for _, name := range []string{"SHAPS_EVERY", "SHAPS_ON", "SHAPS_COUNT"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}

// A command's own flag that shares a setting's flag name, but was not defined for the setting,
// leaves the setting alone: route's -to names associations, backup's -to a folder.
func TestOwnFlagsAreNotSettings(t *testing.T) {
	fs := flag.NewFlagSet("route", flag.ContinueOnError)
	to := fs.String("name", "", "the command's own flag")
	table.Define(fs, "on")
	if err := fs.Parse([]string{"-name", "filo-d-argento-iriense", "-on=false"}); err != nil {
		t.Fatal(err)
	}
	v, err := table.Load(fs, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if got := v.String("name"); got != "default" {
		t.Errorf("setting name: got %q from the command's own -name, want the default", got)
	}
	if *to != "filo-d-argento-iriense" {
		t.Errorf("the command's -name: got %q, want what was given", *to)
	}
	if v.Bool("on") {
		t.Errorf("setting on: got true, want false from -on=false")
	}
}
