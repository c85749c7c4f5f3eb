// Package office is the Comune's office at work on requests: each request pulled from the queue
// becomes a case that is routed to associations, closed with an outcome, reopened, counted, and
// finally stripped of personal data when the storage limit passes. The pages' ratings pulled
// with them are counted per page. The Desk, the Filter, Export
// and Purge are the same for both of the office's faces, the admin command and its web pages.
package office
