// Package status lets citizens follow a request without an account: the key that, with the
// request's code, opens its status page, and the status board where the office publishes, for
// each request, only the steps the citizen needs to see.
package status
