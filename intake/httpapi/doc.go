// Package httpapi is the intake's HTTP transport: POST /api/requests from the portal's form or
// as JSON, and the pages the form leads to. It turns HTTP into a Submission and the outcome into
// a status; the rules live in package intake.
package httpapi
