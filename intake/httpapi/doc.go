// Package httpapi is the intake's HTTP transport: POST /api/requests from the portal's form or
// as JSON, the pages the form leads to, and POST /api/valutazioni, a page's rating. It turns HTTP into a Submission and the outcome into
// a status; the rules live in package intake.
package httpapi
