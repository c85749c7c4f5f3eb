package intake_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/uuid"
	"github.com/shaps-portal/shaps/intake"
)

// memQueue keeps messages in memory; fail makes it refuse them.
type memQueue struct {
	mu   sync.Mutex
	msgs []intake.Message
	fail error
}

func (q *memQueue) Enqueue(ctx context.Context, m intake.Message) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.fail != nil {
		return q.fail
	}
	q.msgs = append(q.msgs, m)
	return nil
}

var testToday = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

var testData = fstest.MapFS{
	"portal.yaml": {Data: []byte("name: P\nmunicipality: Comune di Prova\nbase_url: https://p.example.org/\ncontact:\n  email: info@example.org\n" +
		"privacy:\n  controller: Comune di Prova\n  dpo_email: dpo@example.org\naccessibility_statement_url: https://example.org/accessibilita\n" +
		"categories:\n  - id: salute\n    label: Salute\n  - id: ascolto\n    label: Ascolto\naudiences: []\n")},
	"associations/alfa/association.yaml":        {Data: []byte("name: Alfa ODV\nsummary: In breve.\ndescription: Fa.\ncategories: [salute]\ncontacts:\n  email: alfa@example.org\n")},
	"associations/alfa/services/trasporto.yaml": {Data: []byte("name: Trasporto\nsummary: In breve.\ncategories: [salute]\n")},
	"associations/beta/association.yaml":        {Data: []byte("name: Beta\nsummary: In breve.\ndescription: Fa.\ncategories: [ascolto]\ncontacts:\n  phone: 0383 123456\n")},
}

func catalog(t *testing.T) *intake.Catalog {
	t.Helper()
	c, err := intake.LoadCatalog(testData, testToday)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func valid() intake.Request {
	return intake.Request{Kind: "richiesta", Category: "salute", Message: "Mi serve aiuto per la spesa.", Email: "m@example.org", Privacy: true}
}

func TestValidate(t *testing.T) {
	long := strings.Repeat("à", intake.MaxMessage+1)
	tests := []struct {
		name   string
		change func(r *intake.Request)
		want   map[string]string
	}{
		{"valid", func(r *intake.Request) {}, nil},
		{"report without contact", func(r *intake.Request) { r.Kind = "segnalazione"; r.Email = ""; r.ContactPreference = "none" }, nil},
		{"unknown kind", func(r *intake.Request) { r.Kind = "reclamo" }, map[string]string{"kind": "err_kind"}},
		{"no category", func(r *intake.Request) { r.Category = "" }, map[string]string{"category": "err_category_missing"}},
		{"unknown category", func(r *intake.Request) { r.Category = "sport" }, map[string]string{"category": "err_category_unknown"}},
		{"unknown association", func(r *intake.Request) { r.Association = "gamma" }, map[string]string{"association": "err_association_unknown"}},
		{"unknown service", func(r *intake.Request) { r.Service = "alfa/pasti" }, map[string]string{"service": "err_service_unknown"}},
		{"service names its association", func(r *intake.Request) { r.Service = "alfa/trasporto" }, nil},
		{"empty message", func(r *intake.Request) { r.Message = "   " }, map[string]string{"message": "err_message_missing"}},
		{"short message", func(r *intake.Request) { r.Message = "aiuto" }, map[string]string{"message": "err_message_short"}},
		{"only spaces and zero-width characters", func(r *intake.Request) {
			r.Message = "\u200b \u200b\u00a0\u200c\u200d\u2060\ufeff\u3000\u3164\u2800\u200b\u200b\u00ad\u180e"
		}, map[string]string{"message": "err_message_short"}},
		{"a few letters padded with invisible ones", func(r *intake.Request) { r.Message = "aiuto\u200b\u200b\u200b\u200b\u200b\u200b" }, map[string]string{"message": "err_message_short"}},
		{"ten letters in a script with joiners", func(r *intake.Request) { r.Message = "می\u200cخواهم کمک کنید" }, nil},
		{"4000 characters are fine", func(r *intake.Request) { r.Message = strings.Repeat("è", intake.MaxMessage) }, nil},
		{"long message", func(r *intake.Request) { r.Message = long }, map[string]string{"message": "err_message_long"}},
		{"bad e-mail", func(r *intake.Request) { r.Email = "mario@" }, map[string]string{"email": "err_email"}},
		{"bad phone", func(r *intake.Request) { r.Phone = "chiamatemi" }, map[string]string{"phone": "err_phone"}},
		{"reply by phone needs a phone", func(r *intake.Request) { r.ContactPreference = "phone" }, map[string]string{"phone": "err_reply_needs_phone"}},
		{"reply by e-mail needs an e-mail", func(r *intake.Request) { r.Email = ""; r.ContactPreference = "email" }, map[string]string{"email": "err_reply_needs_email"}},
		{"sharing needs a contact", func(r *intake.Request) { r.Email = ""; r.ContactPreference = "none"; r.ShareContact = true }, map[string]string{"email": "err_share_needs_contact"}},
		{"unknown preference", func(r *intake.Request) { r.ContactPreference = "piccione" }, map[string]string{"contact_preference": "err_contact_preference"}},
		{"privacy not acknowledged", func(r *intake.Request) { r.Privacy = false }, map[string]string{"privacy": "err_privacy"}},
		{"name too long", func(r *intake.Request) { r.Name = strings.Repeat("n", 201) }, map[string]string{"name": "err_too_long"}},
		{"escape sequences in the name", func(r *intake.Request) { r.Name = "Mario\x1b]0;PWNED\a\x1b[2J" }, map[string]string{"name": "err_single_line"}},
		{"a forged line in the area", func(r *intake.Request) { r.Area = "Centro\nVG-7K4M-Q2  nuova  Rossi" }, map[string]string{"area": "err_single_line"}},
		{"carriage return in the e-mail", func(r *intake.Request) { r.Email = "m@example.org\rBcc: x@example.org" }, map[string]string{"email": "err_single_line"}},
		{"tab in the phone", func(r *intake.Request) { r.Phone = "333\t1234567" }, map[string]string{"phone": "err_single_line"}},
		{"C1 control in the name", func(r *intake.Request) { r.Name = "Mario\u009b2J" }, map[string]string{"name": "err_single_line"}},
		{"line separator in the area", func(r *intake.Request) { r.Area = "Centro\u2028Oltrepò" }, map[string]string{"area": "err_single_line"}},
		{"right-to-left override in the name", func(r *intake.Request) { r.Name = "Mario \u202eissoR" }, map[string]string{"name": "err_single_line"}},
		{"accents and apostrophes are text", func(r *intake.Request) { r.Name = "Nicolò D'Amato-Ruà"; r.Area = "Oltrepò, via Emilia" }, nil},
		{"several at once", func(r *intake.Request) { r.Category = ""; r.Message = ""; r.Privacy = false }, map[string]string{"category": "err_category_missing", "message": "err_message_missing", "privacy": "err_privacy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := valid()
			tt.change(&r)
			r.Normalize()
			got := r.Validate(catalog(t))
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for f, key := range tt.want {
				if got[f] != key {
					t.Errorf("field %s: got %q, want %q", f, got[f], key)
				}
			}
		})
	}
}

func TestNormalizeMessage(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"lines and tabs stay", "Prima riga\r\nseconda\triga\rterza", "Prima riga\nseconda\triga\nterza"},
		{"terminal sequences go", "Buongiorno\x1b]0;PWNED\a\x1b[2J, vorrei aiuto", "Buongiorno]0;PWNED[2J, vorrei aiuto"},
		{"other controls go", "a\x00b\x7fc\u0085d\u009be", "abcde"},
		{"paragraph separators are lines", "uno\u2029due", "uno\ndue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := valid()
			r.Message = tt.in
			r.Normalize()
			if r.Message != tt.want {
				t.Errorf("got %q, want %q", r.Message, tt.want)
			}
		})
	}
}

func newIntake(q intake.Queue, now time.Time) *intake.Intake {
	return &intake.Intake{Queue: q, Directory: mustCatalog(), CodePrefix: "VG", Now: func() time.Time { return now }}
}

func mustCatalog() *intake.Catalog {
	c, err := intake.LoadCatalog(testData, testToday)
	if err != nil {
		panic(err)
	}
	return c
}

func TestSubmit(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	q := &memQueue{}
	in := newIntake(q, now)
	r, errs, err := in.Submit(context.Background(), intake.Submission{Request: valid(), StartedAt: now.Add(-time.Minute)})
	if err != nil || errs != nil || r.Discarded {
		t.Fatalf("got %v %v %v, want a stored request", r, errs, err)
	}
	if !intake.CodeOK(r.Code) || !strings.HasPrefix(r.Code, "VG-") {
		t.Errorf("got code %q, want one like VG-7K4M-Q2", r.Code)
	}
	if len(q.msgs) != 1 || q.msgs[0].ID != r.ID {
		t.Fatalf("got %d messages, want one with the receipt's id", len(q.msgs))
	}
	var env map[string]any
	if err := json.Unmarshal(q.msgs[0].Body, &env); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"version": 1.0, "id": r.ID, "code": r.Code, "received_at": "2026-11-25T10:00:00Z", "message": "Mi serve aiuto per la spesa.", "category": "salute", "privacy": true} {
		if env[k] != want {
			t.Errorf("envelope %s: got %v, want %v", k, env[k], want)
		}
	}
	for _, k := range []string{"ip", "user_agent", "website", "started_at", "idempotency_key"} {
		if _, ok := env[k]; ok {
			t.Errorf("envelope holds %q, want it left out", k)
		}
	}
}

func TestBotsAreThankedButNotStored(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	q := &memQueue{}
	in := newIntake(q, now)
	for _, s := range []intake.Submission{
		{Request: valid(), Honeypot: "https://spam.example"},
		{Request: valid(), StartedAt: now.Add(-time.Second)},
		{Request: intake.Request{}, Honeypot: "x"}, // even an invalid one
	} {
		r, errs, err := in.Submit(context.Background(), s)
		if err != nil || errs != nil || !r.Discarded || !intake.CodeOK(r.Code) {
			t.Errorf("got %+v %v %v, want a discarded receipt with a code", r, errs, err)
		}
	}
	if len(q.msgs) != 0 {
		t.Errorf("got %d messages stored, want none", len(q.msgs))
	}
	if acc, disc := in.Counts(); acc != 0 || disc != 3 {
		t.Errorf("got %d accepted, %d discarded, want 0 and 3", acc, disc)
	}
}

// A form shown at a time no browser gives, to slip past the check on the time taken, is as
// automated as one sent too fast.
func TestImpossibleStartTimesAreAutomated(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for _, started := range []time.Time{now.Add(intake.MaxClockAhead + time.Minute), now.AddDate(1, 0, 0), now.Add(-intake.MaxFormAge - time.Minute), time.UnixMilli(1)} {
		q := &memQueue{}
		r, errs, err := newIntake(q, now).Submit(context.Background(), intake.Submission{Request: valid(), StartedAt: started})
		if err != nil || errs != nil || !r.Discarded || len(q.msgs) != 0 {
			t.Errorf("started_at %s: got %+v %v %v and %d stored, want a discarded receipt", started, r, errs, err, len(q.msgs))
		}
	}
}

// A person whose clock runs a little ahead, or who left the form open for days, is not a program.
func TestPeopleWithOddClocksAreStored(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for _, started := range []time.Time{now.Add(30 * time.Minute), now.Add(intake.MaxClockAhead), now.AddDate(0, 0, -20), now.Add(-time.Minute)} {
		q := &memQueue{}
		r, errs, err := newIntake(q, now).Submit(context.Background(), intake.Submission{Request: valid(), StartedAt: started})
		if err != nil || errs != nil || r.Discarded || len(q.msgs) != 1 {
			t.Errorf("started_at %s: got %+v %v %v and %d stored, want it stored", started, r, errs, err, len(q.msgs))
		}
	}
}

func TestIdempotencyKey(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	q := &memQueue{}
	in := newIntake(q, now)
	key := uuid.NewString()
	a, _, _ := in.Submit(context.Background(), intake.Submission{Request: valid(), IdempotencyKey: key})
	b, _, _ := in.Submit(context.Background(), intake.Submission{Request: valid(), IdempotencyKey: key})
	c, _, _ := in.Submit(context.Background(), intake.Submission{Request: valid(), IdempotencyKey: uuid.NewString()})
	if a.Code != b.Code || a.ID != b.ID {
		t.Errorf("same key: got %s/%s and %s/%s, want the same id and code", a.ID, a.Code, b.ID, b.Code)
	}
	if c.ID == a.ID {
		t.Errorf("another key: got the same id, want a new one")
	}
}

func TestCorrectionWithTheSameKeyIsANewRequest(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	q := &memQueue{}
	in := newIntake(q, now)
	key := uuid.NewString()
	first := valid()
	corrected := valid()
	corrected.Message = "Mi serve aiuto per la spesa del martedì, non del lunedì."
	spaced := valid()
	spaced.Message = "  " + spaced.Message + "\r\n" // the same text once normalised
	var receipts []intake.Receipt
	for _, r := range []intake.Request{first, corrected, spaced, corrected} {
		rc, errs, err := in.Submit(context.Background(), intake.Submission{Request: r, IdempotencyKey: key})
		if err != nil || errs != nil {
			t.Fatalf("got %v %v, want the request stored", errs, err)
		}
		receipts = append(receipts, rc)
	}
	if receipts[1].ID == receipts[0].ID || receipts[1].Code == receipts[0].Code {
		t.Errorf("corrected: got id %s code %s, the same as the first; want a new request", receipts[1].ID, receipts[1].Code)
	}
	if receipts[2].ID != receipts[0].ID {
		t.Errorf("same text with other spaces: got id %s, want the first's %s", receipts[2].ID, receipts[0].ID)
	}
	if receipts[3].ID != receipts[1].ID {
		t.Errorf("correction sent twice: got id %s, want %s", receipts[3].ID, receipts[1].ID)
	}
	var messages []string
	for _, m := range q.msgs {
		var env intake.Envelope
		if err := json.Unmarshal(m.Body, &env); err != nil {
			t.Fatal(err)
		}
		if env.ID != m.ID {
			t.Errorf("envelope id %s, message id %s: want them equal", env.ID, m.ID)
		}
		messages = append(messages, env.Message)
	}
	if !slices.Contains(messages, corrected.Message) {
		t.Errorf("got messages %q on the queue, want the correction among them", messages)
	}
}

func TestQueueFailureIsReported(t *testing.T) {
	q := &memQueue{fail: errors.New("disk full")}
	_, _, err := newIntake(q, time.Now()).Submit(context.Background(), intake.Submission{Request: valid()})
	if !errors.Is(err, intake.ErrQueue) {
		t.Errorf("got %v, want an error wrapping ErrQueue", err)
	}
}

func TestCodeOK(t *testing.T) {
	for code, want := range map[string]bool{"VG-7K4M-Q2": true, "RQ-0000-ZZ": true, "VG-7K4M-Q": false, "vg-7k4m-q2": false, "VG-7K4M-QI": false, "<b>-7K4M-Q2": false, "": false,
		"VG-7K4M-Q2-2": true, "VG-7K4M-Q2-9": true, "VG-7K4M-Q2-1": false, "VG-7K4M-Q2-10": false, "VG-7K4M-Q2-": false} {
		if got := intake.CodeOK(code); got != want {
			t.Errorf("CodeOK(%q): got %v, want %v", code, got, want)
		}
	}
}

func TestLoadCatalogFromDemoData(t *testing.T) {
	c, err := intake.LoadCatalog(os.DirFS("../data"), testToday)
	if err != nil {
		t.Fatal(err)
	}
	if !c.HasCategory("salute") || !c.HasAssociation("croce-azzurra-oltrepo") || !c.HasService("croce-azzurra-oltrepo/trasporto-visite") {
		t.Errorf("demo catalog: want its categories, associations and services known")
	}
	if c.Portal.Municipality != "Comune di Voghera" || len(c.Categories) < 10 {
		t.Errorf("demo catalog: got %q with %d categories", c.Portal.Municipality, len(c.Categories))
	}
}

// TestPhonesAsTheDataContract: the form takes exactly the phone numbers the data contract's rule
// takes, on the table the catalog's own test uses.
func TestPhonesAsTheDataContract(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "generator", "catalog", "testdata", "phones.txt"))
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, line := range strings.Split(string(b), "\n") {
		verdict, phone, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		rows++
		r := valid()
		r.Phone = phone
		r.Normalize()
		got := r.Validate(catalog(t))["phone"]
		if want := map[string]string{"ok": "", "no": "err_phone"}[verdict]; got != want {
			t.Errorf("phone %q: got %q, want %q (the data contract says %s)", phone, got, want, verdict)
		}
	}
	if rows < 10 {
		t.Fatalf("got %d rows from phones.txt, want the whole table", rows)
	}
}

// TestLoadCatalogRefusesInvalidData: the intake takes no reference from data that validate
// refuses, and says where to look.
func TestLoadCatalogRefusesInvalidData(t *testing.T) {
	data := maps.Clone(testData)
	data["associations/beta/association.yaml"] = &fstest.MapFile{Data: []byte("name: Beta\n")}
	_, err := intake.LoadCatalog(data, testToday)
	if err == nil || !strings.Contains(err.Error(), "associations/beta/association.yaml:1:1: summary: manca una chiave obbligatoria") {
		t.Errorf("got %v, want the first problem of the data", err)
	}
}

// A person who writes quickly and leaves a field wrong gets the errors to correct, not a thanks
// for a request that was never stored.
func TestQuickMistakesAreShown(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	q := &memQueue{}
	in := newIntake(q, now)
	r, errs, err := in.Submit(context.Background(), intake.Submission{Request: intake.Request{Message: "aiuto"}, StartedAt: now.Add(-time.Second)})
	if err != nil || r.Discarded || errs["message"] == "" || errs["category"] == "" {
		t.Errorf("got %+v %v %v, want the message's and the category's errors", r, errs, err)
	}
	if len(q.msgs) != 0 {
		t.Errorf("got %d messages stored, want none", len(q.msgs))
	}
}

// TestLanguage: the request keeps the language of the page it came from; anything that is not
// one of the portal's languages is the default, so that no request is lost to a hidden field.
func TestLanguage(t *testing.T) {
	for _, tc := range []struct{ name, lang, want string }{
		{"missing", "", "it"},
		{"italian", "it", "it"},
		{"romanian", "ro", "ro"},
		{"arabic", "ar", "ar"},
		{"chinese by code", "zh-hans", "zh-hans"},
		{"chinese by tag", "zh-Hans", "zh-hans"},
		{"spaced and upper case", " EN ", "en"},
		{"not one of the portal's", "fr", "it"},
		{"a tag with a region", "en-GB", "it"},
		{"markup", "<script>", "it"},
		{"a path", "../../etc", "it"},
		{"a line break", "en\nX-Header: 1", "it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := &memQueue{}
			r := valid()
			r.Language = tc.lang
			_, errs, err := newIntake(q, testToday).Submit(context.Background(), intake.Submission{Request: r})
			if err != nil || errs != nil || len(q.msgs) != 1 {
				t.Fatalf("got %v %v and %d messages, want one stored request", errs, err, len(q.msgs))
			}
			var env map[string]any
			if err := json.Unmarshal(q.msgs[0].Body, &env); err != nil {
				t.Fatal(err)
			}
			if env["lang"] != tc.want {
				t.Errorf("envelope lang: got %v, want %q", env["lang"], tc.want)
			}
		})
	}
}

// TestOtherScriptsAreTaken: names, areas and messages in the scripts of the portal's languages,
// and phone numbers as their keyboards type them, are taken as they are written.
func TestOtherScriptsAreTaken(t *testing.T) {
	for _, tc := range []struct {
		name      string
		change    func(*intake.Request)
		wantPhone string
	}{
		{"arabic name and message", func(r *intake.Request) {
			r.Name, r.Message, r.Area = "محمد عبد الله", "أحتاج إلى مساعدة في التسوق لوالدتي المسنة.", "وسط المدينة"
		}, ""},
		{"chinese name and message", func(r *intake.Request) {
			r.Name, r.Message = "王小明", "我需要帮助购买食品和药品，谢谢。"
		}, ""},
		{"ukrainian name", func(r *intake.Request) {
			r.Name, r.Message = "Олена Коваленко", "Потрібна допомога з документами."
		}, ""},
		{"romanian name", func(r *intake.Request) {
			r.Name, r.Message = "Ștefan Țăranu", "Am nevoie de ajutor la cumpărături."
		}, ""},
		{"albanian name", func(r *intake.Request) { r.Name, r.Message = "Arbër Çela", "Kam nevojë për ndihmë me ushqimet." }, ""},
		{"arabic name with a zero-width non-joiner and marks", func(r *intake.Request) { r.Name = "\u200fفاطمة\u200c الزهراء" }, ""},
		{"romanian mobile", func(r *intake.Request) { r.Phone = "+40 721 234 567" }, "+40 721 234 567"},
		{"ukrainian mobile", func(r *intake.Request) { r.Phone = "+380 67 123 4567" }, "+380 67 123 4567"},
		{"chinese mobile", func(r *intake.Request) { r.Phone = "+86 138 0013 8000" }, "+86 138 0013 8000"},
		{"arabic-indic digits", func(r *intake.Request) { r.Phone = "+٢١٢ ٦١٢ ٣٤٥ ٦٧٨" }, "+212 612 345 678"},
		{"extended arabic-indic digits", func(r *intake.Request) { r.Phone = "۰۳۸۳ ۱۲۳۴۵۶" }, "0383 123456"},
		{"full-width digits and signs", func(r *intake.Request) { r.Phone = "＋８６　１３８－００１３－８０００" }, "+86 138-0013-8000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := valid()
			tc.change(&r)
			r.Normalize()
			if errs := r.Validate(catalog(t)); errs != nil {
				t.Errorf("got errors %v, want none", errs)
			}
			if tc.wantPhone != "" && r.Phone != tc.wantPhone {
				t.Errorf("phone: got %q, want %q", r.Phone, tc.wantPhone)
			}
		})
	}
	// A short sentence in Chinese is a message; two characters are not.
	for msg, want := range map[string]string{"我需要帮助买菜": "", "需要送餐服务": "", "帮助": "err_message_short", "帮 助 帮": "err_message_short"} {
		r := valid()
		r.Message = msg
		r.Normalize()
		if got := r.Validate(catalog(t))["message"]; got != want {
			t.Errorf("message %q: got %q, want %q", msg, got, want)
		}
	}
	// Other scripts' digits pass only as digits: the phone rule still holds.
	for _, phone := range []string{"٣٨٣", "+٣٩ (٠٣٨٣) ١٢٣٤٥٦", "٠٣٨٣ ١٢٣٤٥٦ ext"} {
		r := valid()
		r.Phone = phone
		r.Normalize()
		if got := r.Validate(catalog(t))["phone"]; got != "err_phone" {
			t.Errorf("phone %q: got %q, want err_phone", phone, got)
		}
	}
}
