package catalog

import "github.com/shaps-portal/shaps/site/languages"

// Type is the shape of a value in a data file.
type Type string

// The value types of the data contract.
const (
	TypeString   Type = "string"
	TypeMarkdown Type = "markdown" // a string rendered as Markdown, raw HTML dropped
	TypeInt      Type = "integer"
	TypeNumber   Type = "number"
	TypeBool     Type = "boolean"
	TypeDate     Type = "date"     // 2026-12-05
	TypeDateTime Type = "datetime" // 2026-12-05T15:30, local wall-clock time
	TypeMoment   Type = "moment"   // a date or a datetime, depending on all_day
	TypeObject   Type = "object"
	TypeList     Type = "list"
	TypeMap      Type = "map" // free keys, values of Elem
)

// Format narrows a string to a kind of value that is checked beyond its type.
type Format string

// The checked formats.
const (
	FormatNone     Format = ""
	FormatEmail    Format = "email"
	FormatPhone    Format = "phone"
	FormatURL      Format = "url"
	FormatPostal   Format = "postal_code"
	FormatSlug     Format = "slug"
	FormatCategory Format = "category"   // an id of portal.yaml's categories
	FormatAudience Format = "audience"   // an id of portal.yaml's audiences
	FormatLanguage Format = "language"   // ISO 639-1 code
	FormatByDay    Format = "by_day"     // MO…SU, optionally with an ordinal: 2SA, -1FR
	FormatHandle   Format = "handle"     // a git-host user or team handle
	FormatFile     Format = "file"       // a file name in the folder of the YAML file that names it
	FormatTimezone Format = "timezone"   // an IANA zone name
	FormatRepo     Format = "repository" // owner/name of a repository on the git host
	FormatColor    Format = "color"      // #RRGGBB, dark enough to carry white text
)

// Field describes one key of a data file: its type, whether it is required, what values it
// takes, and the Italian label and help that forms show. The validator, the JSON Schemas and the
// editing forms are all derived from these definitions, so they cannot disagree.
type Field struct {
	Name     string
	Type     Type
	Required bool
	Label    string
	Help     string
	Enum     []string
	Choices  []string // Italian labels of Enum's values, in the same order, for forms
	Format   Format
	MinLen   int // characters, for strings; a text of a translation may be left out, never empty
	MaxLen   int
	MinItems int // for lists
	Min, Max float64
	HasRange bool
	Fields   []Field // for objects
	Elem     *Field  // for lists and maps
	// Translatable texts may be given in the portal's other languages, under translations.
	Translatable bool
}

// Schema is the definition of one kind of data file.
type Schema struct {
	Kind   string // portal, association, service, event
	Title  string
	Fields []Field
}

func str(name, label, help string) Field {
	return Field{Name: name, Type: TypeString, Label: label, Help: help}
}

func required(f Field) Field { f.Required = true; return f }

func withFormat(f Field, format Format) Field { f.Format = format; return f }

func maxLen(f Field, n int) Field { f.MaxLen = n; return f }

// translatable marks a text that the portal's other languages may translate.
func translatable(f Field) Field { f.Translatable = true; return f }

// The keys under which a file gives its texts in other languages: as people wrote or reviewed
// them, and as a program made them, kept apart so that a person can review them.
const (
	TranslationsKey        = "translations"
	MachineTranslationsKey = "machine_translations"
)

// translationsField is the group of a file's texts in other languages: one group per language of
// the portal but Italian, each with the translatable fields of fields, optional and never empty,
// under the same rules as the Italian (length, Markdown).
func translationsField(name, label, help string, fields []Field) Field {
	var texts []Field
	for _, f := range fields {
		if f.Translatable {
			f.Required, f.Translatable, f.MinLen = false, false, 1
			texts = append(texts, f)
		}
	}
	var langs []Field
	for _, l := range languages.All() {
		if l.Code != languages.Default {
			langs = append(langs, object(l.Code, l.Name, "I testi in "+l.Name+" ("+l.Code+"); i campi non tradotti restano in italiano.", texts...))
		}
	}
	return object(name, label, help, langs...)
}

// withTranslations adds to a file's fields the groups of their translations.
func withTranslations(fields []Field) []Field {
	return append(fields,
		translationsField(TranslationsKey, "Traduzioni", "I testi in altre lingue, scritti o riletti da una persona che conosce la lingua. Il testo italiano resta quello di riferimento.", fields),
		translationsField(MachineTranslationsKey, "Traduzioni automatiche", "I testi in altre lingue fatti da un programma e non ancora riletti; il portale li segna come traduzioni automatiche. Una volta riletti, spostarli in translations.", fields))
}

// TranslatableFields returns the names of a schema's texts that other languages may translate.
func (s Schema) TranslatableFields() []string {
	var names []string
	for _, f := range s.Fields {
		if f.Translatable {
			names = append(names, f.Name)
		}
	}
	return names
}

func markdown(name, label, help string) Field {
	return Field{Name: name, Type: TypeMarkdown, Label: label, Help: help}
}

func object(name, label, help string, fields ...Field) Field {
	return Field{Name: name, Type: TypeObject, Label: label, Help: help, Fields: fields}
}

func list(name, label, help string, elem Field) Field {
	return Field{Name: name, Type: TypeList, Label: label, Help: help, Elem: &elem}
}

func enum(name, label, help string, values ...string) Field {
	return Field{Name: name, Type: TypeString, Label: label, Help: help, Enum: values, Choices: values}
}

// choices gives an enum's values the Italian labels that forms show.
func choices(f Field, labels ...string) Field { f.Choices = labels; return f }

func number(name, label, help string, min, max float64) Field {
	return Field{Name: name, Type: TypeNumber, Label: label, Help: help, Min: min, Max: max, HasRange: true}
}

func geoField() Field {
	return object("geo", "Coordinate", "Posizione sulla mappa, in gradi decimali.",
		required(number("lat", "Latitudine", "Esempio: 44.9925", -90, 90)),
		required(number("lon", "Longitudine", "Esempio: 9.0087", -180, 180)),
	)
}

func addressField() Field {
	return object("address", "Indirizzo", "Indirizzo della sede.",
		required(str("street", "Via e numero civico", "Esempio: Via Emilia 12")),
		required(withFormat(str("postal_code", "CAP", "Cinque cifre, esempio: 27058"), FormatPostal)),
		required(str("city", "Comune", "Esempio: Voghera")),
	)
}

func contactsField(name, label, help string) Field {
	return object(name, label, help,
		withFormat(str("email", "E-mail", "Indirizzo a cui scrivere, esempio: info@associazione.it"), FormatEmail),
		withFormat(str("phone", "Telefono", "Con prefisso, esempio: 0383 123456 o +39 0383 123456"), FormatPhone),
		withFormat(str("website", "Sito web", "Indirizzo completo, esempio: https://www.associazione.it"), FormatURL),
		addressField(),
		geoField(),
		str("hours", "Orari", "Quando si è raggiungibili, esempio: lun–ven 9:00–12:00"),
	)
}

func costField() Field {
	return object("cost", "Costo", "Se è gratuito o quanto costa.",
		Field{Name: "free", Type: TypeBool, Label: "Gratuito", Help: "Sì se non si paga nulla."},
		str("notes", "Note sul costo", "Esempio: contributo di 5 euro a incontro"),
	)
}

func placeField(name, label, help string) Field {
	return object(name, label, help,
		required(str("name", "Nome del luogo", "Esempio: Biblioteca civica")),
		str("address", "Indirizzo", "Esempio: Via Emilia 12, 27058 Voghera"),
		geoField(),
	)
}

// TermSchema defines a category or an audience of portal.yaml, as Localize reads its texts.
func TermSchema() Schema {
	return Schema{Kind: "term", Title: "Voce", Fields: termsField("", "", "").Elem.Fields}
}

func termsField(name, label, help string) Field {
	fields := []Field{
		required(withFormat(str("id", "Identificativo", "Minuscole, cifre e trattini, esempio: anziani"), FormatSlug)),
		translatable(required(str("label", "Nome", "Come appare ai cittadini"))),
		translatable(str("description", "Descrizione", "Una frase che spiega la voce")),
	}
	fields = append(fields, translationsField(TranslationsKey, "Traduzioni", "Il nome e la descrizione in altre lingue, come appaiono nei menu delle pagine tradotte.", fields))
	return list(name, label, help, object("", "Voce", "Una voce dell'elenco", fields...))
}

func refs(name, label, help string, format Format) Field {
	return list(name, label, help, withFormat(Field{Type: TypeString}, format))
}

// PortalSchema defines data/portal.yaml.
func PortalSchema() Schema {
	categories := termsField("categories", "Categorie", "Le aree di bisogno con cui si cercano servizi ed eventi.")
	categories.Required, categories.MinItems = true, 1
	categories.Elem.Fields = append(categories.Elem.Fields, list("topics", "Argomenti",
		"Gli argomenti del modello dei siti dei Comuni a cui appartiene la categoria, esempio: Assistenza sociale",
		Field{Type: TypeString, Enum: Topics(), Choices: Topics()}))
	return Schema{Kind: "portal", Title: "Portale", Fields: []Field{
		required(str("name", "Nome del portale", "Esempio: SHAPS per Voghera")),
		required(str("municipality", "Ente", "Esempio: Comune di Voghera")),
		required(withFormat(str("base_url", "Indirizzo del portale", "Esempio: https://shaps.comune.voghera.pv.it/"), FormatURL)),
		withFormat(str("timezone", "Fuso orario", "Predefinito: Europe/Rome"), FormatTimezone),
		str("province", "Provincia", "Sigla della provincia, per i dati aperti; esempio: PV"),
		required(object("contact", "Contatti dell'ente", "Come raggiungere l'ufficio che gestisce il portale.",
			required(withFormat(str("email", "E-mail", "L'indirizzo dell'ufficio, esempio: servizisociali@comune.voghera.pv.it"), FormatEmail)),
			withFormat(str("phone", "Telefono", "Con prefisso, esempio: 0383 336111"), FormatPhone),
			str("address", "Indirizzo", "Esempio: Piazza Duomo 1, 27058 Voghera (PV)"),
		)),
		required(object("privacy", "Privacy", "Titolare del trattamento e responsabile della protezione dei dati.",
			required(str("controller", "Titolare del trattamento", "Esempio: Comune di Voghera")),
			required(withFormat(str("dpo_email", "E-mail del DPO", "L'indirizzo del responsabile della protezione dei dati, esempio: dpo@comune.voghera.pv.it"), FormatEmail)),
		)),
		withFormat(str("logo", "Stemma", "Nome del file dello stemma o del logo dell'ente nella cartella data: stemma.svg, .png, .jpg o .webp, al massimo 500 KB"), FormatFile),
		withFormat(str("color", "Colore dell'ente", "Il colore dell'intestazione e dei collegamenti, come #RRGGBB; deve essere scuro abbastanza per il testo bianco (contrasto almeno 4,5:1). Predefinito: #0B4F8A"), FormatColor),
		withFormat(str("repository", "Repository dei dati", "Dove stanno i dati del portale, come proprietario/nome; esempio: comune-voghera/shaps. Serve all'area di redazione"), FormatRepo),
		Field{Name: "response_days", Type: TypeInt, Label: "Giorni per una risposta", Help: "In quanti giorni lavorativi di solito si risponde a una richiesta; compare sulla pagina dello stato delle richieste. Esempio: 2", Min: 1, Max: 60, HasRange: true},
		Field{Name: "name_associations", Type: TypeBool, Label: "Nomina le associazioni", Help: "Sì se la pagina dello stato di una richiesta dice a quali associazioni è stata inoltrata"},
		required(withFormat(str("accessibility_statement_url", "Dichiarazione di accessibilità", "Indirizzo della dichiarazione pubblicata su AgID"), FormatURL)),
		categories,
		termsField("audiences", "Destinatari", "A chi si rivolgono i servizi: anziani, famiglie, giovani…"),
		list("areas", "Quartieri e frazioni", "I nomi che il modulo delle richieste propone per la zona; dopo la cancellazione dei dati personali resta solo una zona di questo elenco", Field{Type: TypeString}),
	}}
}

// LegalForms are the accepted values of an association's legal_form.
var LegalForms = []string{"ODV", "APS", "cooperativa sociale", "fondazione", "altro"}

// AssociationSchema defines data/associations/<slug>/association.yaml.
func AssociationSchema() Schema {
	categories := refs("categories", "Categorie", "Le aree in cui l'associazione opera.", FormatCategory)
	categories.Required, categories.MinItems = true, 1
	contacts := contactsField("contacts", "Contatti", "Almeno un modo per raggiungere l'associazione.")
	contacts.Required = true
	return Schema{Kind: "association", Title: "Associazione", Fields: withTranslations([]Field{
		translatable(required(str("name", "Nome", "Il nome completo dell'associazione"))),
		translatable(required(maxLen(str("summary", "In breve", "Una o due frasi, al massimo 200 caratteri"), 200))),
		translatable(required(markdown("description", "Descrizione", "Che cosa fa l'associazione. Si può usare Markdown."))),
		categories,
		contacts,
		enum("legal_form", "Forma giuridica", "ODV, APS, cooperativa sociale, fondazione o altro", LegalForms...),
		str("runts_id", "Numero RUNTS", "Numero di iscrizione al Registro Unico Nazionale del Terzo Settore"),
		{Name: "founded", Type: TypeInt, Label: "Anno di fondazione", Help: "Esempio: 1987", Min: 1800, Max: 2100, HasRange: true},
		translatable(markdown("history", "Storia", "La storia dell'associazione. Si può usare Markdown.")),
		withFormat(str("logo", "Logo", "Nome del file nella cartella: logo.svg, logo.png, logo.jpg o logo.webp, al massimo 500 KB"), FormatFile),
		{Name: "social", Type: TypeMap, Label: "Social", Help: "Nome del social e indirizzo della pagina", Elem: &Field{Type: TypeString, Format: FormatURL}},
		list("maintainers", "Referenti", "Nomi utente di chi può approvare le modifiche", withFormat(Field{Type: TypeString}, FormatHandle)),
		{Name: "reviewed", Type: TypeDate, Label: "Dati verificati il", Help: "Data dell'ultima verifica dei dati, esempio: 2026-10-01"},
	})}
}

// ServiceStatuses are the accepted values of a service's status.
var ServiceStatuses = []string{"active", "suspended", "ended"}

// ServiceSchema defines data/associations/<slug>/services/<slug>.yaml.
func ServiceSchema() Schema {
	categories := refs("categories", "Categorie", "Le aree di bisogno a cui risponde il servizio.", FormatCategory)
	categories.Required, categories.MinItems = true, 1
	return Schema{Kind: "service", Title: "Servizio", Fields: withTranslations([]Field{
		translatable(required(str("name", "Nome del servizio", "Esempio: Trasporto sociale per visite mediche"))),
		translatable(required(maxLen(str("summary", "In breve", "Una o due frasi, al massimo 200 caratteri"), 200))),
		categories,
		translatable(markdown("description", "Descrizione", "Il servizio in dettaglio. Si può usare Markdown.")),
		refs("audiences", "Destinatari", "A chi si rivolge il servizio.", FormatAudience),
		choices(enum("status", "Stato", "active (attivo), suspended (sospeso) o ended (concluso)", ServiceStatuses...), "attivo", "sospeso", "concluso"),
		translatable(markdown("who", "A chi è rivolto", "Chi può usare il servizio.")),
		translatable(markdown("how_to_access", "Come fare", "I passi per accedere al servizio.")),
		translatable(markdown("requirements", "Cosa serve", "Documenti o condizioni necessari.")),
		translatable(markdown("outcome", "Cosa si ottiene", "Il risultato per chi usa il servizio.")),
		translatable(markdown("timing", "Tempi e scadenze", "Quanto si aspetta, entro quando fare domanda.")),
		costField(),
		list("locations", "Luoghi", "Dove si svolge il servizio.", placeField("", "Luogo", "Un luogo in cui si svolge il servizio")),
		translatable(str("hours", "Orari", "Quando è attivo, esempio: lun–ven 9:00–12:00")),
		contactsField("contacts", "Contatti del servizio", "Se diversi da quelli dell'associazione."),
		list("languages", "Lingue parlate", "Codici ISO a due lettere, esempio: it, en, ar", withFormat(Field{Type: TypeString}, FormatLanguage)),
	})}
}

// EventStatuses are the accepted values of an event's status.
var EventStatuses = []string{"scheduled", "cancelled", "postponed"}

// Frequencies are the accepted values of an event's recurrence frequency.
var Frequencies = []string{"daily", "weekly", "monthly"}

// EventSchema defines data/associations/<slug>/events/<slug>.yaml.
func EventSchema() Schema {
	interval := Field{Name: "interval", Type: TypeInt, Label: "Ogni quanti", Help: "1 = ogni volta, 2 = una sì e una no", Min: 1, Max: 366, HasRange: true}
	count := Field{Name: "count", Type: TypeInt, Label: "Numero di volte", Help: "In alternativa a «fino al»", Min: 1, Max: 1000, HasRange: true}
	return Schema{Kind: "event", Title: "Evento", Fields: withTranslations([]Field{
		translatable(required(str("title", "Titolo", "Esempio: Merenda in compagnia"))),
		required(Field{Name: "start", Type: TypeMoment, Label: "Inizio", Help: "Data e ora locali, esempio: 2026-12-05T15:30; solo la data se dura tutto il giorno"}),
		translatable(maxLen(str("summary", "In breve", "Una o due frasi, al massimo 200 caratteri"), 200)),
		translatable(markdown("description", "Descrizione", "L'evento in dettaglio. Si può usare Markdown.")),
		{Name: "end", Type: TypeMoment, Label: "Fine", Help: "Data e ora locali, esempio: 2026-12-05T18:00; per gli eventi di più giorni, l'ultimo giorno"},
		{Name: "all_day", Type: TypeBool, Label: "Tutto il giorno", Help: "Sì se l'evento non ha un orario: inizio e fine sono date"},
		placeField("location", "Luogo", "Dove si svolge l'evento."),
		withFormat(str("online_url", "Collegamento online", "Per gli eventi online: l'indirizzo a cui collegarsi"), FormatURL),
		refs("categories", "Categorie", "Le aree di bisogno dell'evento.", FormatCategory),
		refs("audiences", "Destinatari", "A chi si rivolge l'evento.", FormatAudience),
		object("recurrence", "Ripetizione", "Se l'evento si ripete.",
			required(choices(enum("freq", "Frequenza", "daily (ogni giorno), weekly (ogni settimana) o monthly (ogni mese)", Frequencies...), "ogni giorno", "ogni settimana", "ogni mese")),
			interval,
			list("by_day", "Giorni", "MO, TU, WE, TH, FR, SA, SU; per i mesi anche 2SA (secondo sabato) o -1FR (ultimo venerdì)", withFormat(Field{Type: TypeString}, FormatByDay)),
			Field{Name: "until", Type: TypeDate, Label: "Fino al", Help: "Ultimo giorno in cui si ripete, esempio: 2027-06-30"},
			count,
			list("except", "Tranne il", "Date in cui non si tiene", Field{Type: TypeDate}),
		),
		object("registration", "Iscrizione", "Se e come iscriversi.",
			Field{Name: "required", Type: TypeBool, Label: "Iscrizione obbligatoria", Help: "Sì se bisogna iscriversi per partecipare"},
			withFormat(str("url", "Pagina di iscrizione", "Indirizzo completo del modulo online, se c'è"), FormatURL),
			withFormat(str("email", "E-mail per iscriversi", "Esempio: iscrizioni@associazione.it"), FormatEmail),
			withFormat(str("phone", "Telefono per iscriversi", "Con prefisso, esempio: 0383 123456"), FormatPhone),
			str("notes", "Note", "Esempio: posti limitati, entro il 30 novembre"),
		),
		costField(),
		choices(enum("status", "Stato", "scheduled (confermato), cancelled (annullato) o postponed (rinviato)", EventStatuses...), "confermato", "annullato", "rinviato"),
		{Name: "updated", Type: TypeDateTime, Label: "Aggiornato il", Help: "Quando l'evento è stato modificato l'ultima volta, esempio: 2026-11-20T10:00"},
	})}
}

// MaxSynonymLen is the longest word or phrase of the synonyms file, in characters.
const MaxSynonymLen = 60

// SynonymsSchema defines data/synonyms.yaml: the words citizens use for what they need, and the
// words of the portal's services that the search finds for them.
func SynonymsSchema() Schema {
	word := maxLen(Field{Type: TypeString}, MaxSynonymLen)
	words := list("words", "Parole dei cittadini", "Come i cittadini scrivono ciò di cui hanno bisogno, una parola o più; esempio: [cibo, fare la spesa]", word)
	words.Required, words.MinItems = true, 1
	find := list("find", "Parole del portale", "Le parole dei servizi che la ricerca trova per loro; esempio: [alimentare]", word)
	find.Required, find.MinItems = true, 1
	synonyms := list("synonyms", "Sinonimi", "Ogni voce porta dalle parole dei cittadini a quelle del portale.",
		object("", "Voce", "Parole dei cittadini e parole del portale", words, find))
	synonyms.Required = true
	return Schema{Kind: "synonyms", Title: "Sinonimi della ricerca", Fields: []Field{synonyms}}
}

// Schemas returns the kinds of data file.
func Schemas() []Schema {
	return []Schema{PortalSchema(), AssociationSchema(), ServiceSchema(), EventSchema(), SynonymsSchema()}
}
