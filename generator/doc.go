// Command generator validates the portal's data and builds, serves and publishes the portal.
//
//	go run ./generator validate [-data DIR]
//	go run ./generator build [-data DIR] [-out DIR] [-base-url URL]
//	go run ./generator serve [-data DIR] [-addr 127.0.0.1:1313]
//	go run ./generator schema [-out DIR]
package main
