// The gomod example component: a wasip1 reactor (go build -buildmode=c-shared) whose //go:wasmexport functions
// implement the WIT world in exports.go; main is never run.
package main

import "fmt"

func errTooMany(n uint32) error {
	return fmt.Errorf("%d versions given; the limit is %d", n, maxVersions)
}

func errTooLong(what string, n uint32, limit int) error {
	return fmt.Errorf("%s is %d bytes; the limit is %d", what, n, limit)
}

func main() {}
