// Package intake takes citizens' requests and reports ("richieste e segnalazioni"): it checks
// them, wraps each in a versioned envelope with a short code the citizen can quote, and hands it
// to a queue. It answers "received" only once the queue has stored the message durably. The
// associations' answers and the pages' anonymous ratings travel on the same queue, each a
// message of its own type.
package intake
