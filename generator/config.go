package main

import (
	"flag"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/shaps-portal/shaps/generator/feeds"
	"github.com/shaps-portal/shaps/generator/settings"
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
	// ConfigFile is the config file read (-config, else SHAPS_CONFIG); the intake that serve
	// mounts reads its settings from it too.
	ConfigFile string
}

// settingsTable is every setting of the generator; a config file's keys are the flags' names.
var settingsTable = settings.Table{
	{Key: "data", Env: "SHAPS_DATA", Flag: "data", Default: "data", Usage: "the data directory"},
	{Key: "content", Env: "SHAPS_CONTENT", Flag: "content", Default: "content", Usage: "the hand-written pages"},
	{Key: "site", Env: "SHAPS_SITE", Flag: "site", Default: "site", Usage: "the Hugo site: templates, i18n, assets"},
	{Key: "out", Env: "SHAPS_OUT", Flag: "out", Default: "public", Usage: "the output directory"},
	{Key: "base-url", Env: "SHAPS_BASE_URL", Flag: "base-url", Usage: "the portal's public address, overriding portal.yaml's base_url"},
	{Key: "addr", Env: "SHAPS_ADDR", Flag: "addr", Default: "127.0.0.1:1313", Usage: "the address to serve on"},
	{Key: "today", Env: "SHAPS_TODAY", Flag: "today", Usage: "build as if today were this date, YYYY-MM-DD"},
	{Key: "feed-past-months", Env: "SHAPS_FEED_PAST_MONTHS", Flag: "feed-past-months", Default: strconv.Itoa(feeds.PastMonths), Kind: settings.Int,
		Usage: "how many months of past events the iCal feeds keep", Want: "a whole number of months"},
	{Key: "cms-addr", Env: "SHAPS_CMS_ADDR", Flag: "cms-addr", Default: "127.0.0.1:8081",
		Usage: "where serve runs the editing interface's local backend (decap-server); empty for none"},
	{Key: "cms-mode", Env: "SHAPS_CMS_MODE", Flag: "cms-mode", Default: "fs",
		Usage: "fs to save straight into the data files, git to save on branches as on the git host"},
}

// loadConfig parses the command's flags (only those named in keys, and -config and -today) and
// merges them with the environment and the config file.
func loadConfig(cmd string, args []string, getenv func(string) string, keys ...string) (config, []string, error) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	settingsTable.Define(fs, append(keys, "today")...)
	if err := fs.Parse(args); err != nil {
		return config{}, nil, err
	}
	v, err := settingsTable.Load(fs, getenv)
	if err != nil {
		return config{}, nil, err
	}
	c := config{
		Data:           v.String("data"),
		Content:        v.String("content"),
		Site:           v.String("site"),
		Out:            v.String("out"),
		BaseURL:        v.String("base-url"),
		Addr:           v.String("addr"),
		Today:          v.String("today"),
		FeedPastMonths: v.Int("feed-past-months"),
		CMSAddr:        v.String("cms-addr"),
		CMSMode:        v.String("cms-mode"),
		ConfigFile:     v.File,
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
