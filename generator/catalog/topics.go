package catalog

// Topics is the controlled vocabulary of topics ("argomenti") of the Designers Italia model for
// the websites of the Comuni, as its official validator (release 1.1.38) holds it. Each category
// of portal.yaml names the topics it belongs to, so that the portal speaks the Comune's own
// vocabulary. A fresh list each call: the vocabulary is not to be changed by its readers.
func Topics() []string {
	return []string{
		"Accesso all'informazione", "Acqua", "Agricoltura", "Anagrafe", "Animale domestico", "Aria",
		"Assistenza agli invalidi", "Assistenza sociale", "Associazioni", "Bilancio",
		"Commercio al minuto", "Commercio all'ingrosso", "Commercio ambulante",
		"Comunicazione istituzionale", "Comunicazione politica", "Concorsi", "Covid-19", "Elezioni",
		"Energie rinnovabili", "Estero", "Foreste", "Formazione professionale", "Gemellaggi",
		"Gestione rifiuti", "Giustizia", "Igiene pubblica", "Immigrazione", "Imposte", "Imprese",
		"Inquinamento", "Integrazione sociale", "Isolamento termico", "Istruzione", "Lavoro",
		"Matrimonio", "Mercato", "Mobilità sostenibile", "Morte", "Nascita", "Parcheggi",
		"Patrimonio culturale", "Pesca", "Piano di sviluppo", "Pista ciclabile", "PNRR",
		"Politica commerciale", "Polizia", "Prodotti alimentari", "Protezione civile", "Residenza",
		"Risposta alle emergenze", "Sistema giuridico", "Spazio Verde", "Sport",
		"Sviluppo sostenibile", "Tassa sui servizi", "Tempo libero", "Trasparenza amministrativa",
		"Trasporto pubblico", "Turismo", "Urbanizzazione", "Viaggi", "Zone pedonali", "ZTL",
	}
}
