package office_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/office/backupdir"
	"github.com/shaps-portal/shaps/intake/office/boltstore"
)

func TestBackupName(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 30, 5, 0, time.FixedZone("CET", 3600))
	name := office.BackupName(at)
	if name != "shaps-cases-20261125T083005Z.db.age" {
		t.Errorf("BackupName = %q, want shaps-cases-20261125T083005Z.db.age", name)
	}
	if got, ok := office.BackupTime(name); !ok || !got.Equal(at) {
		t.Errorf("BackupTime(%q) = %v %v, want %v", name, got, ok, at)
	}
	for _, other := range []string{"shaps-cases-x.db.age", "notes.txt", ".partial-123", "shaps-cases-20261125T083005Z.db"} {
		if _, ok := office.BackupTime(other); ok {
			t.Errorf("BackupTime(%q): ok, want it not taken for a backup", other)
		}
	}
}

func TestRetention(t *testing.T) {
	day := func(y int, m time.Month, d, h int) string {
		return office.BackupName(time.Date(y, m, d, h, 0, 0, 0, time.UTC))
	}
	var daily []string // 20 days, two backups each
	for d := 1; d <= 20; d++ {
		daily = append(daily, day(2026, 11, d, 2), day(2026, 11, d, 14))
	}
	var monthly []string // the first of 15 months
	for m := 0; m < 15; m++ {
		monthly = append(monthly, day(2025, time.Month(1+m), 1, 3))
	}
	tests := []struct {
		name  string
		keep  office.Retention
		names []string
		want  []string // kept, newest first
	}{
		{name: "nothing", keep: office.Retention{Daily: 14, Monthly: 12}},
		{name: "the newest of each of the last two days, and of the month", keep: office.Retention{Daily: 2, Monthly: 1},
			names: daily, want: []string{day(2026, 11, 20, 14), day(2026, 11, 19, 14)}},
		{name: "fourteen days", keep: office.Retention{Daily: 14, Monthly: 0}, names: daily[:6],
			want: []string{day(2026, 11, 3, 14), day(2026, 11, 2, 14), day(2026, 11, 1, 14)}},
		{name: "twelve months beyond the days", keep: office.Retention{Daily: 2, Monthly: 12}, names: monthly,
			want: []string{day(2026, 3, 1, 3), day(2026, 2, 1, 3), day(2026, 1, 1, 3), day(2025, 12, 1, 3), day(2025, 11, 1, 3), day(2025, 10, 1, 3),
				day(2025, 9, 1, 3), day(2025, 8, 1, 3), day(2025, 7, 1, 3), day(2025, 6, 1, 3), day(2025, 5, 1, 3), day(2025, 4, 1, 3)}},
		{name: "other files are left alone", keep: office.Retention{Daily: 1}, names: []string{"notes.txt", day(2026, 1, 1, 1)}, want: []string{day(2026, 1, 1, 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keep, drop := tt.keep.Apply(tt.names)
			if !reflect.DeepEqual(keep, tt.want) {
				t.Errorf("kept %v\nwant %v", keep, tt.want)
			}
			backups := 0
			for _, n := range tt.names {
				if _, ok := office.BackupTime(n); ok {
					backups++
				}
			}
			if len(keep)+len(drop) != backups {
				t.Errorf("kept %d and dropped %d of %d backups", len(keep), len(drop), backups)
			}
		})
	}
}

// keys makes an age key pair, as the office would with age-keygen.
func keys(t *testing.T) (*age.X25519Identity, []age.Recipient) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	to, err := office.ParseRecipients(id.Recipient().String())
	if err != nil {
		t.Fatal(err)
	}
	return id, to
}

func newCase(i int, at time.Time) office.Case {
	return office.Case{ID: fmt.Sprintf("id-%04d", i), Code: fmt.Sprintf("VG-%04d-AA", i), ReceivedAt: at, Status: office.StatusNew,
		Request: intake.Request{Kind: "richiesta", Category: "anziani", Message: fmt.Sprintf("Messaggio numero %d", i), Email: fmt.Sprintf("persona%d@example.org", i)}}
}

func openStore(t *testing.T) *boltstore.Store {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "cases.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// restored opens a backup into a new store.
func restored(t *testing.T, dir, name string, id age.Identity) *boltstore.Store {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st := openStore(t)
	if err := office.Restore(f, []age.Identity{id}, st); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestBackupDuringPullsAndRoutes: backups taken while cases arrive and are routed hold every case
// that was in the store when they began, and no case half-changed: a routed case has its route
// and the audit line of it, and every code leads to its case.
func TestBackupDuringPullsAndRoutes(t *testing.T) {
	st := openStore(t)
	dir := t.TempDir()
	vault, err := backupdir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	id, to := keys(t)
	ctx := context.Background()
	var added atomic.Int64 // cases 0..added-1 are surely in the store
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(2)
	go func() { // the pulls
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := st.Add(newCase(i, t0), "pull", t0); err != nil {
				t.Error(err)
				return
			}
			added.Store(int64(i + 1))
		}
	}()
	go func() { // the routes, each a change to the case and a line of audit in one transaction
		defer wg.Done()
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			i := n % max(int(added.Load()), 1)
			_, err := st.Update(newCase(i, t0).Code, "operatrice", "routed", "to croce-azzurra", t0, func(c *office.Case) error {
				return c.AddRoute(office.Route{At: t0, By: "operatrice", To: []string{"croce-azzurra"}})
			})
			if err != nil && !errors.Is(err, boltstore.ErrNotFound) {
				t.Error(err)
				return
			}
		}
	}()
	type taken struct {
		name   string
		before int
		store  *boltstore.Store
	}
	var backups []taken
	for b := range 5 {
		for added.Load() < int64(50*(b+1)) {
			time.Sleep(time.Millisecond)
		}
		before := int(added.Load())
		name, _, err := office.Backup(ctx, st, vault, to, office.Retention{Daily: 100}, t0.Add(time.Duration(b)*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		backups = append(backups, taken{name, before, nil})
		// The same snapshot written slowly, as to a slow disk or network, spans many
		// changes: it must still be of one instant.
		before = int(added.Load())
		var slow slowBuffer
		if err := st.Snapshot(&slow); err != nil {
			t.Fatal(err)
		}
		r := openStore(t)
		if err := r.Restore(&slow.b); err != nil {
			t.Fatalf("slow snapshot %d: %v", b, err)
		}
		backups = append(backups, taken{fmt.Sprintf("slow snapshot %d", b), before, r})
	}
	close(stop)
	wg.Wait()
	for _, b := range backups {
		r := b.store
		if r == nil {
			r = restored(t, dir, b.name, id)
		}
		all, err := r.All()
		if err != nil {
			t.Fatalf("%s: %v", b.name, err)
		}
		if len(all) < b.before {
			t.Errorf("%s: %d cases, want at least the %d in the store when it began", b.name, len(all), b.before)
		}
		trail, err := r.Audit()
		if err != nil {
			t.Fatal(err)
		}
		routed := map[string]int{}
		for _, e := range trail {
			if e.Action == "routed" {
				routed[e.Code]++
			}
		}
		for _, c := range all {
			got, err := r.Get(c.Code)
			if err != nil || got.ID != c.ID {
				t.Errorf("%s: code %s leads to %q, %v; want case %s", b.name, c.Code, got.ID, err, c.ID)
			}
			if (c.Status == office.StatusRouted) != (len(c.Routes) > 0) || routed[c.Code] != len(c.Routes) {
				t.Errorf("%s: %s torn: status %s, %d routes, %d audit lines of routing", b.name, c.Code, c.Status, len(c.Routes), routed[c.Code])
			}
		}
	}
}

// slowBuffer takes its time over each write.
type slowBuffer struct{ b bytes.Buffer }

func (s *slowBuffer) Write(p []byte) (int, error) {
	time.Sleep(2 * time.Millisecond)
	return s.b.Write(p)
}

func TestBackupHoldsNoPlaintext(t *testing.T) {
	st := openStore(t)
	c := newCase(7, t0)
	if _, err := st.Add(c, "pull", t0); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	vault, _ := backupdir.Open(dir)
	_, to := keys(t)
	name, _, err := office.Backup(context.Background(), st, vault, to, office.Retention{Daily: 1}, t0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	var plain bytes.Buffer
	if err := st.Snapshot(&plain); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{c.Request.Message, c.Request.Email, c.Code, "anziani"} {
		if !bytes.Contains(plain.Bytes(), []byte(secret)) {
			t.Fatalf("the snapshot lacks %q: the search below proves nothing", secret)
		}
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("the backup holds %q in clear text", secret)
		}
	}
	if info, _ := os.Stat(filepath.Join(dir, name)); info.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", info.Mode().Perm())
	}
}

func TestRestoreRefusals(t *testing.T) {
	st := openStore(t)
	if _, err := st.Add(newCase(1, t0), "pull", t0); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	vault, _ := backupdir.Open(dir)
	_, to := keys(t)
	name, _, err := office.Backup(context.Background(), st, vault, to, office.Retention{Daily: 1}, t0)
	if err != nil {
		t.Fatal(err)
	}
	open := func() *os.File {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	other, _ := keys(t)
	err = office.Restore(open(), []age.Identity{other}, openStore(t))
	if !errors.Is(err, office.ErrWrongKey) || !bytes.Contains([]byte(err.Error()), []byte("SHAPS_BACKUP_RECIPIENT")) {
		t.Errorf("restore with another key: got %v, want %v saying which key to use", err, office.ErrWrongKey)
	}
	err = office.Restore(bytes.NewReader([]byte("age-encryption.org/v1\nnonsense")), []age.Identity{other}, openStore(t))
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("not a backup")) {
		t.Errorf("restore of a damaged file: got %v, want it called not a backup", err)
	}
}

func TestRestoreOnlyIntoAnEmptyStore(t *testing.T) {
	st := openStore(t)
	if _, err := st.Add(newCase(1, t0), "pull", t0); err != nil {
		t.Fatal(err)
	}
	var snap bytes.Buffer
	if err := st.Snapshot(&snap); err != nil {
		t.Fatal(err)
	}
	busy := openStore(t)
	if _, err := busy.Add(newCase(2, t0), "pull", t0); err != nil {
		t.Fatal(err)
	}
	if err := busy.Restore(bytes.NewReader(snap.Bytes())); !errors.Is(err, boltstore.ErrNotEmpty) {
		t.Errorf("restore into a store with a case: got %v, want %v", err, boltstore.ErrNotEmpty)
	}
	if all, _ := busy.All(); len(all) != 1 || all[0].ID != "id-0002" {
		t.Errorf("after the refused restore the store holds %v, want its own case only", all)
	}
	empty := openStore(t)
	if err := empty.Restore(bytes.NewReader([]byte("not a database"))); err == nil {
		t.Error("restore of a file that is no case store: no error")
	}
	if err := empty.Restore(bytes.NewReader(snap.Bytes())); err != nil {
		t.Fatal(err)
	}
	if c, err := empty.Get("VG-0001-AA"); err != nil || c.Request.Message != "Messaggio numero 1" {
		t.Errorf("after restore: %+v %v, want case 1", c, err)
	}
}

// TestBackupKeepsTheNewest: whatever the retention, the backup just taken stays.
func TestBackupKeepsTheNewest(t *testing.T) {
	st := openStore(t)
	dir := t.TempDir()
	vault, _ := backupdir.Open(dir)
	_, to := keys(t)
	name, dropped, err := office.Backup(context.Background(), st, vault, to, office.Retention{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, name)); err != nil || len(dropped) != 0 {
		t.Errorf("with a retention of nothing: dropped %v, %v; want the new backup kept", dropped, err)
	}
}
