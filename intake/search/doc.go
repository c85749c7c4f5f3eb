// Package search finds the portal's services, upcoming events and associations from the words a
// citizen types, for the search page: a static site cannot search without JavaScript, so the
// intake's function answers /cerca/ from the same data files the portal is built from.
//
// Texts are read as Italian (elisions, stop words, Snowball's stemmer, accents folded), Cyrillic
// and Arabic words with their scripts' stemmers, Chinese by pairs of characters, and ranked by
// BM25 over each entry's fields, the translations of its title and summary among them; words the portal does not know are read as the
// closest it does, and the Comune's synonyms (data/synonyms.yaml) lead from the citizens' words
// to the services' own.
package search
