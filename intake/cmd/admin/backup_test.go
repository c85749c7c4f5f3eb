package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// withBackups configures backups to a folder for a new key pair and returns the folder and the
// identity file, kept apart as the office keeps it.
func (e *env) withBackups() (dir, identity string) {
	e.t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		e.t.Fatal(err)
	}
	dir = filepath.Join(e.t.TempDir(), "copie")
	identity = filepath.Join(e.t.TempDir(), "chiave.txt")
	if err := os.WriteFile(identity, []byte("# the office's backup key\n"+id.String()+"\n"), 0o600); err != nil {
		e.t.Fatal(err)
	}
	e.vars["SHAPS_BACKUP_TO"], e.vars["SHAPS_BACKUP_RECIPIENT"] = dir, id.Recipient().String()
	return dir, identity
}

// adminErr runs a command and returns its error, what it printed and what it warned.
func (e *env) adminErr(args ...string) (error, string, string) {
	var out, errb bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return e.vars[k] }, nil, &out, &errb, func() time.Time { return e.clock })
	return err, out.String(), errb.String()
}

func backupsIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestRestoreThenPurge: a backup brought back after the storage limit has passed comes back
// without the personal data that the limit no longer allows, and the backups that old are
// deleted by purge.
func TestRestoreThenPurge(t *testing.T) {
	e := newEnv(t)
	dir, identity := e.withBackups()
	codeOld := e.submit(private)
	e.admin("pull")
	e.admin("close", codeOld, "-outcome", "resolved")
	e.clock = e.clock.Add(400 * 24 * time.Hour)
	codeNew := e.submit(shared)
	e.admin("pull")
	out := e.admin("backup")
	names := backupsIn(t, dir)
	if len(names) != 1 || !strings.Contains(out, names[0]) {
		t.Fatalf("backup wrote %v and said %q, want one backup, named", names, out)
	}
	offline := filepath.Join(t.TempDir(), names[0]) // the copy the office keeps elsewhere
	b, err := os.ReadFile(filepath.Join(dir, names[0]))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(offline, b, 0o600); err != nil {
		t.Fatal(err)
	}

	e.clock = e.clock.Add(400 * 24 * time.Hour) // the old case is now closed 800 days ago, the backup 400
	e.vars["SHAPS_PURGE_OLDER_THAN"] = "365d"
	out = e.admin("purge")
	if !strings.Contains(out, "deleted the backup "+names[0]) || len(backupsIn(t, dir)) != 0 {
		t.Errorf("purge: said %q and left %v, want the backup older than the limit deleted", out, backupsIn(t, dir))
	}

	e.vars["SHAPS_CASES"] = filepath.Join(t.TempDir(), "nuovo.db") // a new computer
	out = e.admin("restore", offline, "-identity", identity)
	if !strings.Contains(out, "erased the personal data of "+codeOld) {
		t.Errorf("restore: got %q, want the purge applied at once", out)
	}
	if show := e.admin("show", codeOld); strings.Contains(show, private.Email) || strings.Contains(show, "Mia madre") {
		t.Errorf("the purged case came back with its personal data:\n%s", show)
	}
	if show := e.admin("show", codeNew); !strings.Contains(show, "dialisi") {
		t.Errorf("the case within the limit: got\n%s\nwant its message", show)
	}
	db, err := os.ReadFile(e.vars["SHAPS_CASES"])
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{private.Email, private.Phone, "Mia madre"} {
		if bytes.Contains(db, []byte(s)) {
			t.Errorf("the restored store file still holds %q", s)
		}
	}
	if err, _, _ := e.adminErr("restore", offline, "-identity", identity); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a second restore into the same store: got %v, want it refused as not empty", err)
	}
}

func TestRestoreWithAnotherKey(t *testing.T) {
	e := newEnv(t)
	dir, _ := e.withBackups()
	e.submit(private)
	e.admin("pull")
	e.admin("backup")
	_, otherIdentity := e.withBackups()
	e.vars["SHAPS_CASES"] = filepath.Join(t.TempDir(), "nuovo.db")
	err, _, _ := e.adminErr("restore", filepath.Join(dir, backupsIn(t, dir)[0]), "-identity", otherIdentity)
	if err == nil || !strings.Contains(err.Error(), "not encrypted for this key") {
		t.Errorf("restore with another key: got %v, want it to say the key is not the backup's", err)
	}
}

// TestPullWarnsWithoutBackup: pull warns while the store has no backup or one over a day old.
func TestPullWarnsWithoutBackup(t *testing.T) {
	e := newEnv(t)
	e.submit(report)
	if _, _, warn := e.adminErr("pull"); !strings.Contains(warn, "never been backed up") {
		t.Errorf("pull without any backup warned %q, want a warning", warn)
	}
	e.withBackups()
	e.admin("backup")
	if _, _, warn := e.adminErr("pull"); warn != "" {
		t.Errorf("pull after a backup warned %q, want nothing", warn)
	}
	e.clock = e.clock.Add(25 * time.Hour)
	if _, _, warn := e.adminErr("pull"); !strings.Contains(warn, "more than a day ago") {
		t.Errorf("pull a day after the backup warned %q, want a warning", warn)
	}
}

// TestBackupRetention: the 14 daily and 12 monthly backups are kept, the rest deleted.
func TestBackupRetention(t *testing.T) {
	e := newEnv(t)
	dir, _ := e.withBackups()
	e.submit(report)
	e.admin("pull")
	for range 40 {
		e.admin("backup")
		e.clock = e.clock.Add(24 * time.Hour)
	}
	// 25 November to 3 January: the last 14 days (21 December to 3 January, the newest of
	// January and of December among them) and the newest of November.
	kept := backupsIn(t, dir)
	if len(kept) != 15 || kept[0] != "shaps-cases-20261130T090000Z.db.age" || kept[1] != "shaps-cases-20261221T090000Z.db.age" {
		t.Errorf("after 40 daily backups kept %v, want 30 November and 21 December to 3 January", kept)
	}
	e.vars["SHAPS_BACKUP_KEEP_DAILY"] = "two"
	if err, _, _ := e.adminErr("backup"); err == nil || !strings.Contains(err.Error(), `SHAPS_BACKUP_KEEP_DAILY="two"`) {
		t.Errorf("a retention in words: got %v, want it refused", err)
	}
}

// TestBackupToS3: the backup goes to an S3 bucket, here a real S3-speaking server on 127.0.0.1.
func TestBackupToS3(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("comune-voghera"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	defer srv.Close()
	e := newEnv(t)
	_, identity := e.withBackups()
	e.vars["SHAPS_BACKUP_TO"] = "s3://comune-voghera/shaps/archivio"
	e.vars["AWS_ENDPOINT_URL_S3"], e.vars["SHAPS_AWS_ACCESS_KEY_ID"], e.vars["SHAPS_AWS_SECRET_ACCESS_KEY"] = srv.URL, "test", "test"
	code := e.submit(private)
	e.admin("pull")
	out := e.admin("backup")
	client := s3.New(s3.Options{Region: "eu-south-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	list, err := client.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String("comune-voghera")})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Contents) != 1 || !strings.HasPrefix(aws.ToString(list.Contents[0].Key), "shaps/archivio/shaps-cases-") || !strings.Contains(out, "s3://comune-voghera") {
		t.Fatalf("after backup the bucket holds %d objects (%v), said %q; want one under shaps/archivio/", len(list.Contents), list.Contents, out)
	}
	obj, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("comune-voghera"), Key: list.Contents[0].Key})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if bytes.Contains(body, []byte(private.Email)) {
		t.Error("the object holds the citizen's e-mail in clear text")
	}
	file := filepath.Join(t.TempDir(), "copia.age")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}
	e.vars["SHAPS_CASES"] = filepath.Join(t.TempDir(), "nuovo.db")
	e.admin("restore", file, "-identity", identity)
	if show := e.admin("show", code); !strings.Contains(show, private.Email) {
		t.Errorf("the case restored from S3: got\n%s\nwant it whole", show)
	}
}

// TestServeBacksUpDaily: serve takes a backup by itself, and its pages say when; without one
// they warn.
func TestServeBacksUpDaily(t *testing.T) {
	e := newEnv(t)
	page := func(base, token string) string {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		sessionCookie(t, c, base, token)
		c.CheckRedirect = nil
		resp, err := c.Get(base)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	base, token := e.serve("-addr", "127.0.0.1:0", "-pull-every", "0")
	if p := page(base, token); !strings.Contains(p, "non ha ancora nessuna copia di sicurezza") {
		t.Errorf("serve without backups: the list does not warn:\n%s", p)
	}

	e = newEnv(t)
	dir, _ := e.withBackups()
	base, token, out := e.serveOut("-addr", "127.0.0.1:0", "-pull-every", "0")
	// the line comes once the backup is in the folder and recorded in the store
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "backup shaps-cases-"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("serve took no backup by itself:\n%s", out.String())
		}
	}
	if n := len(backupsIn(t, dir)); n != 1 {
		t.Errorf("serve wrote %d backups, want 1", n)
	}
	if p := page(base, token); !strings.Contains(p, "Ultima copia di sicurezza dell&#39;archivio: 25/11/2026") {
		t.Errorf("serve after its backup: the list does not say when:\n%s", p)
	}
}

// TestRestoreNeedsItsPurge: when what the purge needs is missing, nothing is restored.
func TestRestoreNeedsItsPurge(t *testing.T) {
	e := newEnv(t)
	dir, identity := e.withBackups()
	e.submit(private)
	e.admin("pull")
	e.admin("backup")
	e.vars["SHAPS_CASES"] = filepath.Join(t.TempDir(), "nuovo.db")
	e.vars["SHAPS_DATA"] = filepath.Join(t.TempDir(), "manca")
	err, _, _ := e.adminErr("restore", filepath.Join(dir, backupsIn(t, dir)[0]), "-identity", identity)
	if err == nil || !strings.Contains(err.Error(), "the purge that follows it") {
		t.Errorf("restore without the portal's data: got %v, want it refused before restoring", err)
	}
	e.vars["SHAPS_DATA"] = "../../../data"
	if n := countCases(e.admin("list")); n != 0 {
		t.Errorf("after the refused restore the store holds %d cases, want none", n)
	}
}
