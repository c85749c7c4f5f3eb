// Package search finds the portal's associations, services and upcoming events by the words a
// citizen types, for the search page: a static site cannot search without JavaScript, so the
// intake's function answers /cerca/ from the same data files the portal is built from.
package search
