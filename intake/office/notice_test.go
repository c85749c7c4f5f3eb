package office_test

import (
	"strings"
	"testing"

	"github.com/shaps-portal/shaps/intake"
	"github.com/shaps-portal/shaps/intake/office"
	"github.com/shaps-portal/shaps/intake/status"
	"github.com/shaps-portal/shaps/site"
)

// TestNoticeInTheCitizensLanguage: the notices go out in the language of the page the request
// was sent from, subject and body, with the link to the status page in that language.
func TestNoticeInTheCitizensLanguage(t *testing.T) {
	keys, err := status.NewSigner([]byte("the notices' tests sign with this key"))
	if err != nil {
		t.Fatal(err)
	}
	of := office.Office{Municipality: "Comune di Voghera", From: "servizi.sociali@example.org", BaseURL: "https://voghera.example/", Keys: keys}
	for _, tc := range []struct {
		lang, kind, which, outcome string
		wantSubject                string
		wantBody                   []string
		wantLink                   string
	}{
		{"it", "richiesta", "routed", "", "[VG-7K4M-Q2] La vostra richiesta è stata inoltrata",
			[]string{"Gentile Maria Rossi,", "inoltrata a: Auser Voghera"}, "https://voghera.example/richieste/stato/?codice=VG-7K4M-Q2&chiave="},
		{"ro", "richiesta", "routed", "", "[VG-7K4M-Q2] Cererea dumneavoastră a fost transmisă",
			[]string{"Bună ziua, Maria Rossi,", "Cererea dumneavoastră cu codul VG-7K4M-Q2", "transmisă către: Auser Voghera"}, "https://voghera.example/ro/richieste/stato/?codice=VG-7K4M-Q2&chiave="},
		{"ro", "segnalazione", "closed", "resolved", "[VG-7K4M-Q2] Sesizarea dumneavoastră a fost închisă",
			[]string{"Sesizarea dumneavoastră cu codul VG-7K4M-Q2 a fost închisă: a fost preluată și rezolvată."}, "/ro/richieste/stato/"},
		{"en", "segnalazione", "taken", "", "[VG-7K4M-Q2] An association has taken on your report",
			[]string{"Dear Maria Rossi,", "Your report with code VG-7K4M-Q2 has been taken on by: Auser Voghera."}, "https://voghera.example/en/richieste/stato/"},
		{"ar", "richiesta", "routed", "", "[VG-7K4M-Q2] تمّت إحالة الطلب الخاص بكم",
			[]string{"السيد/السيدة Maria Rossi،", "وأُحيل إلى: Auser Voghera."}, "https://voghera.example/ar/richieste/stato/"},
		{"ar", "richiesta", "closed", "not-competent", "[VG-7K4M-Q2] تمّ إغلاق الطلب الخاص بكم",
			[]string{"قد أُغلق: للأسف، لا تستطيع البلدية"}, "/ar/richieste/stato/"},
		{"uk", "richiesta", "closed", "duplicate", "[VG-7K4M-Q2] Ваше звернення закрито",
			[]string{"Добрий день, Maria Rossi!", "Ваше звернення з кодом VG-7K4M-Q2 закрито: ми вже отримали"}, "/uk/richieste/stato/"},
		{"sq", "segnalazione", "routed", "", "[VG-7K4M-Q2] Sinjalizimi juaj u përcoll",
			[]string{"Përshëndetje, Maria Rossi,", "Sinjalizimi juaj me kodin VG-7K4M-Q2"}, "/sq/richieste/stato/"},
		{"zh-hans", "richiesta", "taken", "", "[VG-7K4M-Q2] 已有协会受理您的求助",
			[]string{"尊敬的Maria Rossi：", "已由以下协会受理：Auser Voghera。"}, "https://voghera.example/zh-hans/richieste/stato/"},
	} {
		t.Run(tc.lang+"/"+tc.kind+"/"+tc.which, func(t *testing.T) {
			c, _ := office.FromEnvelope(envelope(t, func(e *intake.Envelope) {
				e.Email, e.Name, e.Kind, e.Language = "maria@example.org", "Maria Rossi", tc.kind, tc.lang
			}))
			if tc.outcome != "" {
				_ = c.Close(t0, tc.outcome, "")
			}
			m, ok, err := office.Notice(c, tc.which, []string{"Auser Voghera"}, of, t0)
			if err != nil || !ok {
				t.Fatalf("got ok %v, err %v, want a notice", ok, err)
			}
			if m.Subject != tc.wantSubject {
				t.Errorf("subject: got %q, want %q", m.Subject, tc.wantSubject)
			}
			for _, want := range append(tc.wantBody, tc.wantLink) {
				if !strings.Contains(m.Body, want) {
					t.Errorf("body: got\n%s\nwant %q in it", m.Body, want)
				}
			}
			if tc.lang != "it" && strings.Contains(m.Body, "Gentile") {
				t.Errorf("body in %s: got Italian in\n%s", tc.lang, m.Body)
			}
		})
	}
}

// TestEveryNoticeIsWrittenInEveryLanguage: each of the portal's languages writes each notice,
// for each kind and outcome, with and without a name, shared contacts and a link, and none comes
// out in Italian or with a placeholder left in it.
func TestEveryNoticeIsWrittenInEveryLanguage(t *testing.T) {
	keys, _ := status.NewSigner([]byte("the notices' tests sign with this key"))
	italian := map[string]bool{}
	for _, l := range site.Languages() {
		for _, kind := range []string{intake.KindRequest, intake.KindReport} {
			for _, which := range []string{"routed", "taken", "closed"} {
				for _, outcome := range office.Outcomes {
					for _, bare := range []bool{false, true} {
						of := office.Office{Municipality: "Comune di Voghera", From: "servizi.sociali@example.org", BaseURL: "https://voghera.example/", Keys: keys}
						c, _ := office.FromEnvelope(envelope(t, func(e *intake.Envelope) {
							e.Email, e.Name, e.Kind, e.Language, e.ShareContact = "maria@example.org", "Maria Rossi", kind, l.Code, true
							if bare {
								e.Name, e.ShareContact, of.Keys = "", false, nil
							}
						}))
						_ = c.Close(t0, outcome, "")
						m, ok, err := office.Notice(c, which, []string{"Auser Voghera"}, of, t0)
						if err != nil || !ok {
							t.Errorf("%s %s %s %s: got ok %v, err %v", l.Code, kind, which, outcome, ok, err)
							continue
						}
						if strings.Contains(m.Subject+m.Body, "{{") || strings.Contains(m.Subject+m.Body, "<no value>") {
							t.Errorf("%s %s %s: a placeholder is left in\n%s\n%s", l.Code, kind, which, m.Subject, m.Body)
						}
						if l.Code == site.DefaultLanguage {
							italian[m.Subject] = true
						} else if italian[m.Subject] {
							t.Errorf("%s %s %s: got the Italian subject %q", l.Code, kind, which, m.Subject)
						}
					}
				}
			}
		}
	}
}

// TestForwardSaysTheLanguage: the e-mail to an association says which language the citizen wrote
// from, when it is not Italian, in the office's Italian.
func TestForwardSaysTheLanguage(t *testing.T) {
	of := office.Office{Portal: "SHAPS per Voghera", Municipality: "Comune di Voghera", From: "servizi.sociali@example.org"}
	a := office.Association{Slug: "auser", Name: "Auser Voghera", Email: "auser@example.org"}
	for lang, want := range map[string]string{"ro": "dalle pagine del portale in rumeno", "zh-hans": "in cinese (semplificato)", "it": ""} {
		c, _ := office.FromEnvelope(envelope(t, func(e *intake.Envelope) { e.Language = lang }))
		m, err := office.Forward(c, a, office.Names{Category: "Anziani"}, "", of, t0)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(m.Body, "dalle pagine del portale in"); got != (want != "") || !strings.Contains(m.Body, want) {
			t.Errorf("%s: got\n%s\nwant %q", lang, m.Body, want)
		}
	}
}
