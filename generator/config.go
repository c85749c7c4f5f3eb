package main

import (
	"flag"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/shaps-portal/shaps/generator/feeds"
	"github.com/spf13/viper"
)

// config is every setting of the generator. Each comes, by precedence, from a flag, a SHAPS_*
// environment variable, the optional config file (-config or SHAPS_CONFIG) or its default.
type config struct {
	Data    string
	Content string
	Site    string
	Out     string
	BaseURL string
	Addr    string
	Today   string // build as if today were this date (YYYY-MM-DD); empty means the clock's today
	// FeedPastMonths is how many months of past events the iCal feeds keep.
	FeedPastMonths int
	// CMSAddr is where serve starts decap-server, the editing interface's local backend;
	// empty means not at all.
	CMSAddr string
	// CMSMode is how the local backend saves: "fs" writes the data files straight away; "git"
	// works as on the git host, each new or changed entry on a branch of its own (cms/…) that
	// goes through the editorial workflow, in the git checkout that holds the data folder.
	CMSMode string
}

var defaults = map[string]string{
	"data":             "data",
	"content":          "content",
	"site":             "site",
	"out":              "public",
	"base-url":         "",
	"addr":             "127.0.0.1:1313",
	"today":            "",
	"config":           "",
	"feed-past-months": strconv.Itoa(feeds.PastMonths),
	"cms-addr":         "127.0.0.1:8081",
	"cms-mode":         "fs",
}

var help = map[string]string{
	"data":             "the data directory",
	"content":          "the hand-written pages",
	"site":             "the Hugo site: templates, i18n, assets",
	"out":              "the output directory",
	"base-url":         "the portal's public address, overriding portal.yaml's base_url",
	"addr":             "the address to serve on",
	"today":            "build as if today were this date, YYYY-MM-DD",
	"config":           "an optional config file (YAML, TOML or JSON) with the same keys",
	"feed-past-months": "how many months of past events the iCal feeds keep",
	"cms-addr":         "where serve runs the editing interface's local backend (decap-server); empty for none",
	"cms-mode":         "fs to save straight into the data files, git to save on branches as on the git host",
}

// loadConfig parses the command's flags (only those named in keys) and merges them with the
// environment and the config file.
func loadConfig(cmd string, args []string, getenv func(string) string, keys ...string) (config, []string, error) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	keys = append(keys, "config", "today")
	for _, k := range keys {
		fs.String(k, defaults[k], help[k])
	}
	if err := fs.Parse(args); err != nil {
		return config{}, nil, err
	}
	v := viper.New()
	for k, d := range defaults {
		v.SetDefault(k, d)
	}
	file := getenv("SHAPS_CONFIG")
	if f := fs.Lookup("config"); f != nil && f.Value.String() != "" {
		file = f.Value.String()
	}
	if file != "" {
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return config{}, nil, fmt.Errorf("read config %s: %w", file, err)
		}
	}
	for k := range defaults {
		if e := getenv("SHAPS_" + strings.ToUpper(strings.ReplaceAll(k, "-", "_"))); e != "" {
			v.Set(k, e)
		}
	}
	fs.Visit(func(f *flag.Flag) { v.Set(f.Name, f.Value.String()) })
	c := config{
		Data:           v.GetString("data"),
		Content:        v.GetString("content"),
		Site:           v.GetString("site"),
		Out:            v.GetString("out"),
		BaseURL:        v.GetString("base-url"),
		Addr:           v.GetString("addr"),
		Today:          v.GetString("today"),
		FeedPastMonths: v.GetInt("feed-past-months"),
		CMSAddr:        v.GetString("cms-addr"),
		CMSMode:        v.GetString("cms-mode"),
	}
	if c.CMSMode != "fs" && c.CMSMode != "git" {
		return config{}, nil, fmt.Errorf("cms-mode %q: want fs or git", c.CMSMode)
	}
	if c.FeedPastMonths < 0 {
		return config{}, nil, fmt.Errorf("feed-past-months %d: want zero or more", c.FeedPastMonths)
	}
	if c.Today != "" {
		if _, err := time.Parse("2006-01-02", c.Today); err != nil {
			return config{}, nil, fmt.Errorf("today %q: want a date YYYY-MM-DD", c.Today)
		}
	}
	if c.CMSAddr != "" {
		if _, _, err := net.SplitHostPort(c.CMSAddr); err != nil {
			return config{}, nil, fmt.Errorf("cms-addr %q: want host:port, e.g. 127.0.0.1:8081", c.CMSAddr)
		}
	}
	return c, fs.Args(), nil
}

// cmsOrigin is the local backend's origin, e.g. http://127.0.0.1:8081; empty without one.
func (c config) cmsOrigin() string {
	if c.CMSAddr == "" {
		return ""
	}
	return "http://" + c.CMSAddr
}

// cmsBackend is the local backend's address as the editing interface calls it.
func (c config) cmsBackend() string {
	if c.CMSAddr == "" {
		return ""
	}
	return c.cmsOrigin() + "/api/v1"
}

// clock returns the instant the build treats as now.
func (c config) clock(now func() time.Time) time.Time {
	if c.Today != "" {
		t, _ := time.Parse("2006-01-02", c.Today)
		return t.Add(12 * time.Hour)
	}
	return now()
}
