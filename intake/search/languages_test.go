package search_test

import (
	"reflect"
	"testing"

	"github.com/shaps-portal/shaps/intake/search"
)

// TestTermsInOtherScripts: words of other scripts are words too, folded and stemmed alike in
// the index and in the query; Chinese, written without spaces, by pairs of characters.
func TestTermsInOtherScripts(t *testing.T) {
	for in, want := range map[string][]string{
		"Пакунок ЇЖІ":           {"пакунок", "іжі"},
		"сім'ї, сімʼї, сім’я":   {"сімі", "сімі", "сімя"},
		"السلة، سلة":            {"سله", "سله"},
		"بالسيارة إلى المستشفى": {"سيار", "ال", "مستشف"},
		"食品包":                     {"食品", "品包"},
		"为家庭。包":                   {"为家", "家庭", "包"},
		"Ajutor pentru facturi":   {"ajutor", "pentru", "factur"},
		"Ș ș, ţară":               {"tara"},
		"Food parcel 食品 продукти": {"food", "parcel", "食品", "продукт"},
	} {
		if got := search.Terms(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Terms(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSearchInOtherLanguages: the demo's services are found from queries in the portal's
// languages through their translated names and summaries, a program's translations included.
func TestSearchInOtherLanguages(t *testing.T) {
	ix := demoIndex(t)
	const (
		parcel    = "/servizi/banco-solidale-iriense/pacco-alimentare/"
		wardrobe  = "/servizi/banco-solidale-iriense/armadio-solidale/"
		transport = "/servizi/croce-azzurra-oltrepo/trasporto-visite/"
		alzheimer = "/servizi/ascolto-e-presenza/caffe-alzheimer/"
	)
	tests := []struct {
		lang, query, want string
	}{
		{"en", "food parcel", parcel},
		{"en", "clothes and shoes for my baby", wardrobe},
		{"en", "a ride to dialysis", transport},
		{"en", "help for someone with dementia", alzheimer},
		{"ro", "pachet cu alimente", parcel},
		{"ro", "haine și încălțăminte", wardrobe},
		{"ro", "transport la dializa", transport},
		{"ro", "dementa", alzheimer},
		{"ar", "سلة غذائية", parcel},
		{"ar", "ملابس وأحذية للأطفال", wardrobe},
		{"ar", "نقل إلى غسيل الكلى", transport},
		{"ar", "الخرف", alzheimer},
		{"uk", "продуктовий набір", parcel},
		{"uk", "одяг і взуття", wardrobe},
		{"uk", "перевезення на діаліз", transport},
		{"uk", "деменція", alzheimer},
		{"sq", "pako ushqimore", parcel},
		{"zh-hans", "食品", parcel},
		{"zh-hans", "经济困难的家庭", parcel},
	}
	for _, tt := range tests {
		got := ix.Search(tt.query, 3).Entries
		if len(got) == 0 || got[0].URL != tt.want {
			t.Errorf("%s: Search(%q): got %q, want %s first", tt.lang, tt.query, urls(got), tt.want)
		}
	}
	// The entry carries its texts in each language, so that the page can show them.
	got := ix.Search("food parcel", 1).Entries
	if len(got) == 0 {
		t.Fatal("food parcel: found nothing")
	}
	if en := got[0].Texts["en"]["title"]; en.Text != "Food parcel" || !en.Machine {
		t.Errorf("its English title: got %+v, want the program's translation \"Food parcel\", marked", en)
	}
	if sq := got[0].Texts["ro"]["how_to_access"]; sq.Text != "" {
		t.Errorf("texts beyond the title and the summary: got %+v, want none", sq)
	}
}
