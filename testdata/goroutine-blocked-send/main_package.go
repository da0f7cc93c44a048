// ctxlsp:testdata path=cmd/main.go
package main

import (
	"errors"
	"os"
)

func run() error { return errors.New("x") }

// Returning from main ends the program: nothing is left blocked.
func main() {
	errc := make(chan error)
	go func() { errc <- run() }()
	if len(os.Args) > 1 {
		return
	}
	<-errc
}

// Other functions of package main are reported.
func helper() error {
	errc := make(chan error)
	go func() { errc <- run() }() // want `send on unbuffered channel errc`
	if len(os.Args) > 1 {
		return nil
	}
	return <-errc
}
