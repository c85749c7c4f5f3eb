// Package setup builds the intake from its configuration: the queue adapter that SHAPS_QUEUE
// names and the HTTP handler, so that the local server, the Netlify function and the Lambda are
// wired the same way.
package setup
