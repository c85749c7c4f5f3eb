// Package search finds the portal's services, upcoming events and associations from the words a
// citizen types, for the search page: a static site cannot search without JavaScript, so the
// intake's function answers /cerca/ from the same data files the portal is built from.
//
// Texts are read as Italian (elisions, stop words, Snowball's stemmer, accents folded) and
// ranked by BM25 over each entry's fields; words the portal does not know are read as the
// closest it does, and the Comune's synonyms (data/synonyms.yaml) lead from the citizens' words
// to the services' own.
package search
