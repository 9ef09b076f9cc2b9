// Package awstest stubs AWS at the HTTP level, in the style of gh's httpmock:
// a Registry is the SDK's HTTP transport, answers only registered requests,
// records every request and fails the test when a stub goes unused.
//
//	reg := &awstest.Registry{}
//	defer reg.Verify(t)
//	reg.Register(awstest.Query("GetAccountSummary"), awstest.XML(200, body))
//	acct := awsops.New(awstest.Config(reg))
package awstest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// T is the part of testing.TB the registry needs.
type T interface {
	Helper()
	Errorf(format string, args ...any)
}

// Request is a recorded request with its body already read.
type Request struct {
	Method string
	Host   string
	Path   string
	// RawPath is the path as sent, escapes kept (a slash inside a label
	// stays %2F); "" when it is Path.
	RawPath string
	// RawQuery is the URL's query (REST protocols put parameters there,
	// e.g. S3's ?policy).
	RawQuery string
	Header   http.Header
	Body     []byte
}

// Form is the decoded body of an awsQuery request (IAM, STS, SNS).
func (r *Request) Form() url.Values {
	v, _ := url.ParseQuery(string(r.Body))
	return v
}

// escapedPath is the path as sent.
func (r *Request) escapedPath() string {
	if r.RawPath != "" {
		return r.RawPath
	}
	return r.Path
}

// Target is the X-Amz-Target header of an awsJson request.
func (r *Request) Target() string { return r.Header.Get("X-Amz-Target") }

// JSON decodes a JSON request body into v.
func (r *Request) JSON(v any) error { return json.Unmarshal(r.Body, v) }

// Operation names the request for messages: the query Action, the JSON
// target or the REST method and path.
func (r *Request) Operation() string {
	if a := r.Form().Get("Action"); a != "" && isForm(r.Header) {
		return "query " + a
	}
	if t := r.Target(); t != "" {
		return "json " + t
	}
	return "rest " + r.Method + " " + r.Path
}

// newRequest records hr without its body.
func newRequest(hr *http.Request) *Request {
	return &Request{Method: hr.Method, Host: hr.URL.Host, Path: hr.URL.Path, RawPath: hr.URL.EscapedPath(),
		RawQuery: hr.URL.RawQuery, Header: hr.Header.Clone()}
}

func isForm(h http.Header) bool {
	return strings.HasPrefix(h.Get("Content-Type"), "application/x-www-form-urlencoded")
}

// Matcher decides whether a stub answers a request.
type Matcher struct {
	desc  string
	match func(*Request) bool
}

func (m Matcher) String() string { return m.desc }

// Responder builds the response to a matched request.
type Responder func(*Request) (*http.Response, error)

type stub struct {
	matcher   Matcher
	responder Responder
	used      bool
}

// Registry is an http.RoundTripper answering only registered requests.
// Each stub answers one request, in registration order; register a stub
// twice to answer twice. Safe for concurrent use.
type Registry struct {
	mu        sync.Mutex
	stubs     []*stub
	requests  []*Request
	unmatched []*Request
}

// Register adds a one-shot stub.
func (r *Registry) Register(m Matcher, resp Responder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stubs = append(r.stubs, &stub{matcher: m, responder: resp})
}

// RoundTrip answers from the first unused matching stub; a request no stub
// matches fails with an error naming it (and fails Verify).
func (r *Registry) RoundTrip(hr *http.Request) (*http.Response, error) {
	req := newRequest(hr)
	if hr.Body != nil {
		b, err := io.ReadAll(hr.Body)
		hr.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = b
	}
	r.mu.Lock()
	r.requests = append(r.requests, req)
	var found *stub
	for _, s := range r.stubs {
		if !s.used && s.matcher.match(req) {
			found, s.used = s, true
			break
		}
	}
	if found == nil {
		r.unmatched = append(r.unmatched, req)
	}
	r.mu.Unlock()
	if found == nil {
		return nil, fmt.Errorf("awstest: no stub for %s (host %s)", req.Operation(), req.Host)
	}
	resp, err := found.responder(req)
	if err != nil {
		return nil, err
	}
	resp.Request = hr
	return resp, nil
}

// Requests returns every request made so far, in order.
func (r *Registry) Requests() []*Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*Request(nil), r.requests...)
}

// Find returns the requests a matcher selects, in order.
func (r *Registry) Find(m Matcher) []*Request {
	var out []*Request
	for _, req := range r.Requests() {
		if m.match(req) {
			out = append(out, req)
		}
	}
	return out
}

// Verify fails t for every stub that was never used and every request that
// no stub matched.
func (r *Registry) Verify(t T) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.stubs {
		if !s.used {
			t.Errorf("awstest: stub never used: %s", s.matcher)
		}
	}
	for _, req := range r.unmatched {
		t.Errorf("awstest: unmatched request: %s", req.Operation())
	}
}
