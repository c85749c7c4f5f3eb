package catalog

import (
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"
)

// aheadWindow is how many files the read-ahead may hold parsed before the loader takes them.
const aheadWindow = 32

// ahead parses the data's YAML files on the other cores before the loader asks for them, in
// the order it will: parsing is about half of a load, while the loader's checks, which report
// problems in order, stay on one goroutine. A file the loader asks for before it is parsed, or
// that the read-ahead never reached, the loader parses itself; the result is the same.
type ahead struct {
	mu      sync.Mutex
	files   map[string]*aheadFile
	order   []string      // the files handed to the parsers and not yet taken, in order
	slots   chan struct{} // one per file handed out and not yet taken
	done    chan struct{} // closed by stop
	stopped sync.WaitGroup
}

type aheadFile struct {
	parsed chan struct{} // closed when f is set
	f      *parsedFile
}

// readAhead starts parsing the files of data in the order the loader reads them, with one
// parser fewer than the cores; on one core it does nothing.
func readAhead(data fs.FS) *ahead {
	workers := runtime.GOMAXPROCS(0) - 1
	if workers < 1 {
		return nil
	}
	a := &ahead{files: map[string]*aheadFile{}, slots: make(chan struct{}, aheadWindow), done: make(chan struct{})}
	type job struct {
		rel string
		e   *aheadFile
	}
	jobs := make(chan job)
	a.stopped.Add(1 + workers)
	for range workers {
		go func() {
			defer a.stopped.Done()
			for j := range jobs {
				j.e.f = parseFile(data, j.rel)
				close(j.e.parsed)
			}
		}()
	}
	go func() {
		defer a.stopped.Done()
		defer close(jobs)
		a.walk(data, func(rel string) bool {
			select {
			case a.slots <- struct{}{}:
			case <-a.done:
				return false
			}
			a.mu.Lock()
			if _, taken := a.files[rel]; taken {
				a.mu.Unlock()
				<-a.slots
				return true
			}
			e := &aheadFile{parsed: make(chan struct{})}
			a.files[rel] = e
			a.order = append(a.order, rel)
			a.mu.Unlock()
			select {
			case jobs <- job{rel, e}:
				return true
			case <-a.done:
				return false
			}
		})
	}()
	return a
}

// walk calls parse with each YAML file the loader will read, in its order, until parse returns
// false. It reads no more entries than a load may.
func (a *ahead) walk(data fs.FS, parse func(rel string) bool) {
	seen := 0
	listed := func(dir string) []fs.DirEntry {
		entries, err := listDir(data, dir, MaxFiles-seen)
		if err != nil {
			return nil
		}
		seen += len(entries)
		return entries
	}
	if !parse("portal.yaml") || !parse(SynonymsFile) {
		return
	}
	for _, e := range listed("associations") {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		dir := path.Join("associations", e.Name())
		if !parse(path.Join(dir, "association.yaml")) {
			return
		}
		for _, sub := range []string{"services", "events"} {
			for _, f := range listed(path.Join(dir, sub)) {
				if f.Type().IsRegular() && path.Ext(f.Name()) == ".yaml" && !strings.HasPrefix(f.Name(), ".") {
					if !parse(path.Join(dir, sub, f.Name())) {
						return
					}
				}
			}
		}
	}
}

// take returns the parsed file rel, waiting for its parser, or nil when the read-ahead has not
// reached it; it then will not parse it. Files handed out before rel, which the loader skipped,
// are given up.
func (a *ahead) take(rel string) *parsedFile {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	e, ok := a.files[rel]
	if !ok {
		a.files[rel] = nil // the loader parses it itself
		a.mu.Unlock()
		return nil
	}
	if e == nil { // asked for twice
		a.mu.Unlock()
		return nil
	}
	a.files[rel] = nil
	for len(a.order) > 0 {
		first := a.order[0]
		a.order = a.order[1:]
		<-a.slots
		if first == rel {
			break
		}
		a.files[first] = nil
	}
	a.mu.Unlock()
	<-e.parsed
	return e.f
}

// stop ends the read-ahead and waits for its goroutines.
func (a *ahead) stop() {
	if a == nil {
		return
	}
	close(a.done)
	a.stopped.Wait()
}
