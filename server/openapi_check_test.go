package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// openapiContract is the embedded document and a router over it, built once
// for all tests (which may run in parallel; both are only read afterwards).
type openapiContract struct {
	doc    *openapi3.T
	router routers.Router
}

var loadContract = sync.OnceValues(func() (*openapiContract, error) {
	doc, err := OpenAPI()
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	// The test server listens on a random port: match paths on any host.
	// This copy of the document is the test's own; the served one is not
	// touched.
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi router: %w", err)
	}
	return &openapiContract{doc: doc, router: router}, nil
})

// checkAgainstOpenAPI validates a response against the OpenAPI document: the
// route and method must be documented, the status must be one the operation
// lists, and documented headers and the JSON body must match their schemas.
func checkAgainstOpenAPI(t *testing.T, req *http.Request, r response) {
	t.Helper()
	if err := openapiMismatch(req, r); err != nil {
		t.Errorf("openapi: %s %s answered %d, which the document does not allow: %v", req.Method, req.URL.RequestURI(), r.status, err)
	}
}

// openapiMismatch returns why the response r to req does not match the
// document, or nil when it does.
func openapiMismatch(req *http.Request, r response) error {
	c, err := loadContract()
	if err != nil {
		return err
	}
	// A copy of the request with only the path and query: the router matches
	// on them, not on the test server's host and port.
	rq := req.Clone(context.Background())
	rq.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	rq.Host = ""
	rq.Body = http.NoBody
	rq.GetBody = nil
	rq.ContentLength = 0

	route, params, err := c.router.FindRoute(rq)
	if err != nil {
		if !isAPIPath(req.URL.Path) {
			// The browser app (or its 404) serves every other path.
			return nil
		}
		if !errors.Is(err, routers.ErrPathNotFound) && !errors.Is(err, routers.ErrMethodNotAllowed) {
			return fmt.Errorf("find route: %w", err)
		}
		// An API path nobody serves answers the JSON 404 (or a refused
		// cross-site request its 403); any other answer means a route the
		// document does not describe.
		if r.status == http.StatusNotFound || r.status == http.StatusForbidden {
			if verr := c.validateError(r); verr != nil {
				return fmt.Errorf("the route is not in the document, and the answer is not the API's error shape: %w", verr)
			}
			return nil
		}
		return fmt.Errorf("%s %s is not in the OpenAPI document (%v)", req.Method, req.URL.Path, err)
	}

	doc := route.Operation.Responses.Status(r.status)
	if doc == nil || doc.Value == nil {
		return fmt.Errorf("status %d is not documented for %s %s", r.status, req.Method, route.Path)
	}
	opts := &openapi3filter.Options{
		IncludeResponseStatus: true,
		MultiError:            true,
		// The test client signs in with the cookie; the document's security
		// must not fail the check.
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
	}
	ct := r.header.Get("Content-Type")
	content := doc.Value.Content
	if len(content) == 0 {
		if len(r.body) > 0 {
			return fmt.Errorf("status %d has no documented body, but the answer has %d bytes (%s)", r.status, len(r.body), ct)
		}
	} else if !isJSONMediaType(ct) {
		// Binary (xlsx) and text answers: the media type must be the
		// documented one; their bodies are not validated.
		if content.Get(ct) == nil {
			return fmt.Errorf("content type %q is not documented for status %d (documented: %s)", ct, r.status, strings.Join(mediaTypes(content), ", "))
		}
		opts.ExcludeResponseBody = true
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    rq,
			PathParams: params,
			Route:      route,
			Options:    opts,
		},
		Status:  r.status,
		Header:  r.header,
		Body:    io.NopCloser(bytes.NewReader(r.body)),
		Options: opts,
	}
	return openapi3filter.ValidateResponse(context.Background(), in)
}

// validateError checks that r's body is the API's error shape.
func (c *openapiContract) validateError(r response) error {
	if !isJSONMediaType(r.header.Get("Content-Type")) {
		return fmt.Errorf("content type %q is not JSON", r.header.Get("Content-Type"))
	}
	schema := c.doc.Components.Schemas["Error"]
	if schema == nil || schema.Value == nil {
		return errors.New("no Error schema in the document")
	}
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		return fmt.Errorf("body is not JSON: %w", err)
	}
	return schema.Value.VisitJSON(v, openapi3.VisitAsResponse(), openapi3.MultiErrors())
}

// isAPIPath reports whether path belongs to the API (and so to the document)
// rather than to the browser app.
func isAPIPath(path string) bool {
	switch path {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	return strings.HasPrefix(path, "/api/")
}

func isJSONMediaType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func mediaTypes(c openapi3.Content) []string {
	out := make([]string, 0, len(c))
	for k := range c {
		out = append(out, k)
	}
	return out
}
