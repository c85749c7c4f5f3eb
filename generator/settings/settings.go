package settings

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// Kind is how a setting's text is read.
type Kind int

// The kinds of settings.
const (
	String   Kind = iota
	Int           // a whole number
	Bool          // true or false (also 1/0, t/f)
	Duration      // a Go duration: 90s, 5m, 24h
	List          // comma-separated; empty items are dropped
	Map           // NAME:VALUE pairs separated by commas or blanks, or a map in the config file
)

// ConfigEnv and ConfigFlag name the config file.
const (
	ConfigEnv  = "SHAPS_CONFIG"
	ConfigFlag = "config"
)

// Setting is one setting of a program.
type Setting struct {
	Key     string // its key in the config file, lower case
	Env     string // its environment variable; empty: none
	Flag    string // its flag; empty: none
	Default string
	Kind    Kind
	Usage   string // the flag's help
	Want    string // what a valid value looks like, for the error; empty: said by Kind
}

// Table is every setting of a program, declared once.
type Table []Setting

// Define adds to fs the -config flag and the flags of the settings with the given flag names.
// The flags show their defaults but only a flag given on the command line counts as one.
func (t Table) Define(fs *flag.FlagSet, flags ...string) {
	if fs.Lookup(ConfigFlag) == nil {
		fs.String(ConfigFlag, "", "a config file (YAML, TOML or JSON) with the settings' keys")
	}
	for _, name := range flags {
		s, ok := t.byFlag(name)
		if !ok {
			panic("settings: no setting with flag " + name) // a wiring mistake, caught by any test
		}
		fs.Var(&settingFlag{value: s.Default, isBool: s.Kind == Bool}, name, s.Usage)
	}
}

// settingFlag is the value of a flag that Define made for a setting: Load reads only these, so a
// command's own flag that happens to share a setting's flag name (route's -to, say, beside
// backup's) never sets that setting.
type settingFlag struct {
	value  string
	isBool bool
}

func (f *settingFlag) String() string {
	if f == nil {
		return ""
	}
	return f.value
}

func (f *settingFlag) Set(v string) error { f.value = v; return nil }

// IsBoolFlag lets a Bool setting's flag stand alone, as -behind-tls-proxy.
func (f *settingFlag) IsBoolFlag() bool { return f.isBool }

func (t Table) byFlag(name string) (Setting, bool) {
	for _, s := range t {
		if s.Flag == name {
			return s, true
		}
	}
	return Setting{}, false
}

// Values are the settings as read, each already checked against its kind.
type Values struct {
	raw    map[string]string
	typed  map[string]any
	source map[string]string
	File   string // the config file read; empty: none
}

// Load reads every setting of the table: the flags given on fs (already parsed; nil for none),
// else the environment, else the config file, else the default. A value its kind cannot read
// stops it with an error naming where the value came from and what is wanted.
func (t Table) Load(fs *flag.FlagSet, getenv func(string) string) (Values, error) {
	given := map[string]string{}
	if fs != nil {
		fs.Visit(func(f *flag.Flag) {
			if _, ours := f.Value.(*settingFlag); ours || f.Name == ConfigFlag {
				given[f.Name] = f.Value.String()
			}
		})
	}
	v := viper.New()
	file := cmp.Or(given[ConfigFlag], getenv(ConfigEnv))
	if file != "" {
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return Values{}, fmt.Errorf("read config %s: %w", file, err)
		}
	}
	out := Values{raw: map[string]string{}, typed: map[string]any{}, source: map[string]string{}, File: file}
	var errs []error
	for _, s := range t {
		v.SetDefault(s.Key, s.Default)
		src := "default"
		if v.InConfig(s.Key) {
			src = "file"
		}
		if s.Env != "" {
			if e := getenv(s.Env); e != "" {
				v.Set(s.Key, e)
				src = "env"
			}
		}
		if s.Flag != "" {
			if f, ok := given[s.Flag]; ok {
				v.Set(s.Key, f)
				src = "flag"
			}
		}
		out.source[s.Key] = src
		raw := v.Get(s.Key)
		if m, ok := raw.(map[string]any); ok && s.Kind == Map {
			pairs := map[string]string{}
			for k, x := range m {
				pairs[k] = fmt.Sprint(x)
			}
			out.typed[s.Key] = pairs
			continue
		}
		text := strings.TrimSpace(v.GetString(s.Key))
		out.raw[s.Key] = text
		typed, err := parse(s.Kind, text)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: want %s%s", s.name(src, text), cmp.Or(s.Want, want[s.Kind]), where(src, s, file)))
			continue
		}
		out.typed[s.Key] = typed
	}
	return out, errors.Join(errs...)
}

// name is how an error names a value: by the variable, or by the flag when a flag gave it.
func (s Setting) name(src, text string) string {
	if src == "flag" {
		return fmt.Sprintf("-%s %q", s.Flag, text)
	}
	return fmt.Sprintf("%s=%q", cmp.Or(s.Env, s.Key), text)
}

func where(src string, s Setting, file string) string {
	if src == "file" {
		return fmt.Sprintf(" (key %s in %s)", s.Key, file)
	}
	return ""
}

var want = map[Kind]string{
	String:   "text",
	Int:      "a whole number",
	Bool:     "true or false",
	Duration: "a duration such as 90s, 5m or 24h",
	List:     "a comma-separated list",
	Map:      "NAME:VALUE pairs separated by commas",
}

func parse(k Kind, text string) (any, error) {
	switch k {
	case Int:
		return strconv.Atoi(text)
	case Bool:
		return strconv.ParseBool(text)
	case Duration:
		return time.ParseDuration(text)
	case List:
		var out []string
		for _, x := range strings.Split(text, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
		return out, nil
	case Map:
		out := map[string]string{}
		for _, pair := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' }) {
			k, v, ok := strings.Cut(pair, ":")
			if !ok || k == "" || v == "" {
				return nil, fmt.Errorf("pair %q", pair)
			}
			out[k] = v
		}
		return out, nil
	}
	return text, nil
}

// String is a setting's text.
func (v Values) String(key string) string { return v.raw[key] }

// Int is a whole-number setting.
func (v Values) Int(key string) int { n, _ := v.typed[key].(int); return n }

// Bool is a true-or-false setting.
func (v Values) Bool(key string) bool { b, _ := v.typed[key].(bool); return b }

// Duration is a duration setting.
func (v Values) Duration(key string) time.Duration { d, _ := v.typed[key].(time.Duration); return d }

// List is a comma-separated setting.
func (v Values) List(key string) []string { l, _ := v.typed[key].([]string); return l }

// Map is a setting of NAME:VALUE pairs, sorted by name.
func (v Values) Map(key string) map[string]string {
	m, _ := v.typed[key].(map[string]string)
	return m
}

// Keys are a Map setting's names, sorted.
func (v Values) Keys(key string) []string {
	var out []string
	for k := range v.Map(key) {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Source tells where a setting's value came from: "flag", "env", "file" or "default".
func (v Values) Source(key string) string { return v.source[key] }
