// Command admin is the Comune's administrator's tool: it pulls requests from the queue into the
// case store and routes, closes, reopens, counts and finally purges them, and backs the store up.
// Every command takes -config FILE and -as NAME.
//
//	go run ./intake/cmd/admin pull
//	go run ./intake/cmd/admin list [-status new|routed|closed] [-category ID] [-since DATE]
//	go run ./intake/cmd/admin show CODE
//	go run ./intake/cmd/admin route CODE -to ASSOC[,ASSOC…] [-note TEXT]
//	go run ./intake/cmd/admin close CODE -outcome resolved|not-competent|duplicate|spam [-note TEXT]
//	go run ./intake/cmd/admin reopen CODE
//	go run ./intake/cmd/admin stats [-from DATE] [-to DATE]
//	go run ./intake/cmd/admin export -format csv|json [-typed-areas]
//	go run ./intake/cmd/admin purge -older-than 730d
//	go run ./intake/cmd/admin backup [-to DIR | -to s3://bucket/prefix]
//	go run ./intake/cmd/admin restore FILE -identity KEYFILE
//	go run ./intake/cmd/admin operator add NAME
//	go run ./intake/cmd/admin serve [-addr 127.0.0.1:8765] [-tls-cert FILE -tls-key FILE] [-behind-tls-proxy] [-pull-every 5m]
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // the portal's timezone must resolve on any machine
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr, time.Now); err != nil {
		fmt.Fprintf(os.Stderr, "admin: %v\n", err)
		os.Exit(1)
	}
}
