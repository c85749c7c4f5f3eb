// Package sqsqueue is the production queue: Amazon SQS through aws-sdk-go-v2, with bounded
// retries inside the caller's deadline and deduplication ids for FIFO queues.
package sqsqueue
