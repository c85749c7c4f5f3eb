package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/generator/catalog"
)

// TestCodeownersIsCurrent: the committed CODEOWNERS matches the maintainers in the data.
func TestCodeownersIsCurrent(t *testing.T) {
	cat, _ := catalog.Load("../data", testNow())
	want := codeowners(cat, "data")
	got, err := os.ReadFile("../" + CodeownersFile)
	if err != nil {
		t.Fatalf("%v (run go run ./generator codeowners)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date; run go run ./generator codeowners\ngot:\n%s\nwant:\n%s", CodeownersFile, got, want)
	}
	if !strings.Contains(string(want), "/data/associations/croce-azzurra-oltrepo/ @croce-azzurra-oltrepo\n") {
		t.Errorf("got\n%s\nwant a line per association with its maintainers", want)
	}
}

func TestStaleCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"stale", "-data", "../data"}, noEnv, &stdout, &stderr, testNow); err != nil {
		t.Fatal(err)
	}
	out := stdout.String()
	if !strings.Contains(out, "Banco Solidale Iriense ODV") || !strings.Contains(out, "banco@solidaleiriense.org") || strings.Contains(out, "Croce Azzurra") {
		t.Errorf("got\n%s\nwant only the stale association, with its contacts", out)
	}
	if !strings.Contains(stderr.String(), "1 association(s) to remind") {
		t.Errorf("got %q, want the count", stderr.String())
	}
}

func TestStaleNoticeOnPage(t *testing.T) {
	out := buildSite(t, "../data")
	stale := readFile(t, out+"/associazioni/banco-solidale-iriense/index.html")
	fresh := readFile(t, out+"/associazioni/croce-azzurra-oltrepo/index.html")
	if !strings.Contains(stale, `class="notice"`) || strings.Contains(fresh, `class="notice"`) {
		t.Errorf("want the notice on the stale association's page only")
	}
}
