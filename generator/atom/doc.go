// Package atom writes Atom syndication feeds (RFC 4287) for news readers and for sites that
// import feeds: a feed with its id, title, updated, author and links, and its entries.
package atom
