// Package intake takes citizens' requests and reports ("richieste e segnalazioni"): it checks
// them, wraps each in a versioned envelope with a short code the citizen can quote, and hands it
// to a queue. It answers "received" only once the queue has stored the message durably.
package intake
