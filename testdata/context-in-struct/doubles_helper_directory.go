// ctxlsp:testdata path=internal/testutil/server.go

// Test doubles and fixtures outside _test.go files: a file of a test-helper
// directory (testutil, fakes, mocks...), a file named like one, a package
// named like one, or a type named fake/mock/stub/test...: not reported.
package testutil

import "context"

type Server struct {
	ctx  context.Context
	addr string
}

func (s *Server) Start() { _ = s.ctx }
