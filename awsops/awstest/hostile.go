package awstest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go/encoding/cbor"
)

// Mode is one way a hostile AWS answers every operation.
type Mode string

const (
	// ModeEscapes: a well-formed answer with HostilePayload in every string
	// field (names, ARNs, enums, map keys, the credential report's CSV).
	ModeEscapes Mode = "escapes"
	// ModeErrorEscapes: an AWS error whose code and message carry it.
	ModeErrorEscapes Mode = "error-escapes"
	// ModeTruncated: a well-formed answer cut off halfway.
	ModeTruncated Mode = "truncated"
	// ModeWrongType: every field of the wrong type.
	ModeWrongType Mode = "wrong-type"
	// ModeEmpty: 200 with an empty body.
	ModeEmpty Mode = "empty"
	// ModeShapeless: 200 with {} or an empty result element, plus a field
	// the SDK does not know.
	ModeShapeless Mode = "shapeless"
	// ModeHuge: a body without end and without a Content-Length.
	ModeHuge Mode = "huge"
	// ModeHugeDeclared: a body whose Content-Length says 2 GiB.
	ModeHugeDeclared Mode = "huge-declared"
	// ModeEndlessPages: every page hands out a new next token.
	ModeEndlessPages Mode = "endless-pages"
	// ModeRepeatedToken: every page hands out the same next token.
	ModeRepeatedToken Mode = "repeated-token"
	// ModeHang: no answer until the request is given up.
	ModeHang Mode = "hang"
)

// Modes lists every mode.
func Modes() []Mode {
	return []Mode{ModeEscapes, ModeErrorEscapes, ModeTruncated, ModeWrongType, ModeEmpty, ModeShapeless,
		ModeHuge, ModeHugeDeclared, ModeEndlessPages, ModeRepeatedToken, ModeHang}
}

// HostileSequences are the attacks HostilePayload carries, one by one: a
// surface that shows any of them raw is broken.
var HostileSequences = []string{
	"\x1b]52;c;cm0gLXJmIH4=\x07",           // OSC 52: write the clipboard
	"\x1b]0;pwned\x07",                     // OSC 0: window title
	"\x1b[2J",                              // CSI: clear the screen
	"\x1bP1$r\x1b\\",                       // DCS
	"\x1b_apc\x1b\\",                       // APC
	"\x1b^pm\x1b\\",                        // PM
	"\x1bXsos\x1b\\",                       // SOS
	"\x1b[8m",                              // SGR conceal
	"\u009b2J",                             // 8-bit CSI
	"\u009d0;title\u009c",                  // 8-bit OSC … ST
	"\u0085",                               // NEL
	"\u202e", "\u202a", "\u2066", "\u2069", // bidi override, embedding, isolates
	"\r", "\b", "\x00", "\x7f",
}

// HostileMarkdown are Markdown and HTML injections HostilePayload carries:
// a Markdown surface that shows any of them unescaped is broken.
var HostileMarkdown = []string{
	"[click](https://evil.example/x)",
	"![img](https://evil.example/i.png)",
	"<img src=x onerror=alert(1)>",
	"| col |",
	"# heading",
}

// HostilePayload is every hostile sequence and Markdown injection in one
// string, as ModeEscapes puts it in every field (after a short prefix).
var HostilePayload = strings.Join(HostileSequences, "") + " " + strings.Join(HostileMarkdown, " ")

// hostileAccount is the account ID the hostile server claims: valid, so
// reads that need one go on to the hostile strings.
const hostileAccount = "123456789012"

// Hostile is a fake AWS that answers every operation in Operations, in its
// real wire format, the way its Mode says. Use it as an http.RoundTripper
// (Config) or an http.Handler (Serve). Safe for concurrent use.
type Hostile struct {
	Mode Mode
	// Keep lists operations ("sts GetCallerIdentity") answered as in
	// ModeEscapes whatever the mode: well-formed, hostile strings. With who
	// is calling kept, every read after it meets the mode.
	Keep []string

	mu        sync.Mutex
	calls     map[string]int
	unmatched []string
	page      int
	closed    chan struct{}
	closeOnce sync.Once
}

// NewHostile returns a hostile AWS in mode.
func NewHostile(mode Mode) *Hostile {
	return &Hostile{Mode: mode, calls: map[string]int{}, closed: make(chan struct{})}
}

// Config is an SDK config whose every request goes to h in process:
// static credentials, no retries, no HTTP timeout (only the caller's
// context bounds a hang).
func (h *Hostile) Config() aws.Config {
	return aws.Config{
		Region:      Region,
		Credentials: credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
		HTTPClient:  &http.Client{Transport: h},
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// Cleanuper is the part of testing.TB Serve needs.
type Cleanuper interface {
	Helper()
	Cleanup(func())
}

// Serve runs h as a loopback HTTP server for the test and returns an SDK
// config pointing every service at it through the SDK's own HTTP client,
// with callTimeout as the per-request timeout (as awsops.Load sets it).
func Serve(t Cleanuper, h *Hostile, callTimeout time.Duration) aws.Config {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(func() { h.Close(); srv.Close() })
	addr := srv.Listener.Addr().String()
	// Every host goes to the server: S3 Control puts the account ID in
	// front of the endpoint's host (123456789012.127.0.0.1).
	client := awshttp.NewBuildableClient().WithTimeout(callTimeout).WithTransportOptions(func(tr *http.Transport) {
		tr.Proxy = nil
		tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}
	})
	return aws.Config{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   client,
		Retryer:      func() aws.Retryer { return closedConnRetryer{} },
	}
}

// closedConnRetryer retries, at once, only the SDK's known race in which
// the transport closes a connection while an answer is being read ("use of
// closed network connection", aws/aws-sdk-go-v2#2737); the SDK's standard
// retryer retries it too. Nothing else is retried, so each mode is seen
// exactly as the server sends it.
type closedConnRetryer struct{}

func (closedConnRetryer) IsErrorRetryable(err error) bool { return errors.Is(err, net.ErrClosed) }
func (closedConnRetryer) MaxAttempts() int                { return 3 }
func (closedConnRetryer) RetryDelay(int, error) (time.Duration, error) {
	return 0, nil
}
func (closedConnRetryer) GetRetryToken(context.Context, error) (func(error) error, error) {
	return func(error) error { return nil }, nil
}
func (closedConnRetryer) GetInitialToken() func(error) error { return func(error) error { return nil } }

// Close releases every hanging request.
func (h *Hostile) Close() { h.closeOnce.Do(func() { close(h.closed) }) }

// Calls counts the requests per operation ("iam ListAccountAliases").
func (h *Hostile) Calls() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string]int, len(h.calls))
	for k, v := range h.calls {
		out[k] = v
	}
	return out
}

// Unmatched lists requests for operations not in Operations.
func (h *Hostile) Unmatched() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.unmatched...)
}

// answer is a response before it is sent.
type answer struct {
	status      int
	contentType string
	body        io.Reader
	length      int64 // -1: unknown (chunked)
	header      http.Header
	hang        bool
}

// RoundTrip answers in process.
func (h *Hostile) RoundTrip(hr *http.Request) (*http.Response, error) {
	req, err := readRequest(hr)
	if err != nil {
		return nil, err
	}
	a := h.answerFor(req)
	if a.hang {
		select {
		case <-hr.Context().Done():
			return nil, hr.Context().Err()
		case <-h.closed:
			return nil, errors.New("awstest: hostile server closed")
		}
	}
	resp := response(a.status, a.contentType, nil, a.header)
	resp.Body, resp.ContentLength = io.NopCloser(a.body), a.length
	if hr.Method == http.MethodHead { // as over HTTP: the headers only
		resp.Body = http.NoBody
	}
	if a.length < 0 {
		resp.Header.Del("Content-Length")
	} else {
		resp.Header.Set("Content-Length", strconv.FormatInt(a.length, 10))
	}
	resp.Request = hr
	return resp, nil
}

// ServeHTTP answers over HTTP.
func (h *Hostile) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	req, err := readRequest(hr)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req.Host = hr.Host
	a := h.answerFor(req)
	if a.hang {
		select {
		case <-hr.Context().Done():
		case <-h.closed:
		}
		return
	}
	for k, v := range a.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("X-Amzn-Requestid", "00000000-0000-4000-8000-000000000000")
	if a.length >= 0 {
		w.Header().Set("Content-Length", strconv.FormatInt(a.length, 10))
	}
	w.WriteHeader(a.status)
	if hr.Method != http.MethodHead {
		_, _ = io.Copy(w, a.body) // ends when the client hangs up
	}
}

func readRequest(hr *http.Request) (*Request, error) {
	req := newRequest(hr)
	if hr.Body != nil {
		b, err := io.ReadAll(io.LimitReader(hr.Body, 1<<20))
		hr.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = b
	}
	return req, nil
}

func (h *Hostile) answerFor(r *Request) answer {
	op, ok := findOperation(r)
	h.mu.Lock()
	if !ok {
		h.unmatched = append(h.unmatched, r.Operation())
		h.mu.Unlock()
		return answer{status: 400, contentType: "text/plain", body: strings.NewReader("awstest: no such operation"), length: 26}
	}
	h.calls[op.String()]++
	h.page++
	page := h.page
	h.mu.Unlock()
	ct := contentType(op.Protocol)
	fixed := func(status int, b []byte) answer {
		return answer{status: status, contentType: ct, body: bytes.NewReader(b), length: int64(len(b)), header: protocolHeader(op.Protocol)}
	}
	mode := h.Mode
	if slices.Contains(h.Keep, op.String()) {
		mode = ModeEscapes
	}
	g := generator{mode: mode, op: op, page: page}
	switch mode {
	case ModeHang:
		return answer{hang: true}
	case ModeErrorEscapes:
		code := "Hostile" + printable(HostilePayload)
		a := fixed(400, errorBody(op, code, "denied "+HostilePayload))
		if op.Protocol == ProtocolCBOR { // how RPC v2 services compatible with awsQuery name the error
			a.header.Set("X-Amzn-Query-Error", code+";Sender")
		}
		return a
	case ModeEmpty:
		return fixed(200, nil)
	case ModeShapeless:
		return fixed(200, g.shapeless())
	case ModeTruncated:
		b := g.body()
		return g.withHeaders(fixed(200, b[:len(b)/2]))
	case ModeHuge, ModeHugeDeclared:
		a := answer{status: 200, contentType: ct, body: hugeBody(op), length: -1, header: protocolHeader(op.Protocol)}
		if mode == ModeHugeDeclared {
			a.length = 2 << 30
		}
		return a
	}
	return g.withHeaders(fixed(200, g.body()))
}

// withHeaders adds the output members AWS sends as headers to a. A header
// cannot carry C0 controls or DEL (Go's client refuses the whole answer),
// so those are left out; the rest of the payload stays.
func (g generator) withHeaders(a answer) answer {
	t := reflect.TypeOf(g.op.Output)
	for member, header := range g.op.Headers {
		f, ok := t.FieldByName(member)
		if !ok {
			panic("awstest: " + g.op.String() + " has no member " + member)
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch ft.Kind() {
		case reflect.Bool:
			a.header.Set(header, map[bool]string{false: "false", true: "perhaps"}[g.mode == ModeWrongType])
		case reflect.String:
			a.header.Set(header, printable(g.text(member)))
		default:
			panic("awstest: header member " + member + " is neither a string nor a bool")
		}
	}
	return a
}

// printable drops C0 controls and DEL, which no parser takes in an error
// code (the rest of the payload stays).
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

func contentType(p Protocol) string {
	switch p {
	case ProtocolQuery:
		return "text/xml"
	case ProtocolRESTXML:
		return "application/xml"
	case ProtocolJSON11:
		return "application/x-amz-json-1.1"
	case ProtocolCBOR:
		return "application/cbor"
	}
	return "application/json"
}

// protocolHeader is what every answer of the protocol carries besides its
// content type.
func protocolHeader(p Protocol) http.Header {
	h := http.Header{}
	if p == ProtocolCBOR {
		h.Set("Smithy-Protocol", "rpc-v2-cbor")
	}
	return h
}

// errorBody is an AWS error in the operation's protocol.
func errorBody(op Operation, code, message string) []byte {
	switch op.Protocol {
	case ProtocolCBOR:
		return cbor.Encode(cbor.Map{"__type": cbor.String(code), "message": cbor.String(message)})
	case ProtocolRESTXML:
		if op.isS3() { // S3's Error element is the document
			return fmt.Appendf(nil, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message>`+
				`<RequestId>0000000000000000</RequestId><HostId>host</HostId></Error>`, xmlText(code), xmlText(message))
		}
		fallthrough // S3 Control wraps its errors as awsQuery does
	case ProtocolQuery:
		return fmt.Appendf(nil, `<ErrorResponse xmlns="https://aws.amazon.com/doc/"><Error><Type>Sender</Type><Code>%s</Code>`+
			`<Message>%s</Message></Error><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ErrorResponse>`,
			xmlText(code), xmlText(message))
	case ProtocolJSON11:
		b, _ := json.Marshal(map[string]string{"__type": code, "message": message})
		return b
	}
	b, _ := json.Marshal(map[string]string{"code": code, "message": message})
	return b
}

// hugeBody is a well-formed start of an answer that never ends.
func hugeBody(op Operation) io.Reader {
	prefix := `{"Name":"`
	switch op.Protocol {
	case ProtocolQuery:
		prefix = fmt.Sprintf(`<%[1]sResponse xmlns="https://aws.amazon.com/doc/"><%[1]sResult><Name>`, op.Name)
	case ProtocolRESTXML:
		prefix = `<Result><Name>`
	case ProtocolCBOR:
		prefix = "\xbf\x64Name\x7f" // an indefinite map and text string: never closed
	}
	return io.MultiReader(strings.NewReader(prefix), endless{})
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

// generator builds an operation's answer from its SDK output type.
type generator struct {
	mode Mode
	op   Operation
	page int
}

// paging reports whether answers hand out next tokens.
func (g generator) paging() bool { return g.mode == ModeEndlessPages || g.mode == ModeRepeatedToken }

func (g generator) token() string {
	if g.mode == ModeRepeatedToken {
		return "same-token"
	}
	return "page-" + strconv.Itoa(g.page)
}

// text is the value of a string field.
func (g generator) text(field string) string {
	if g.mode != ModeEscapes {
		switch {
		case strings.HasSuffix(field, "Arn") || strings.HasSuffix(field, "ARN"):
			return "arn:aws:sns:us-east-1:" + hostileAccount + ":topic"
		case field == "Account" || field == "AccountId":
			return hostileAccount
		}
		return "value"
	}
	switch {
	case field == "Account":
		return hostileAccount
	case field == "BucketRegion": // the bucket is where it is looked for
		return Region
	case field == "PolicyArn":
		return "arn:aws:iam::aws:policy/AdministratorAccess"
	case strings.HasSuffix(field, "Arn") || strings.HasSuffix(field, "ARN"):
		return "arn:aws:sns:us-east-1:" + hostileAccount + ":t" + HostilePayload
	case field == "FilterPattern": // a metric filter on root use, with the payload in it
		p, _ := json.Marshal(HostilePayload)
		return `{ $.userIdentity.type = "Root" && $.eventName = ` + string(p) + ` }`
	case field == "EventPattern":
		return `{"detail-type":["AWS Console Sign In via CloudTrail"],"detail":{"userIdentity":{"type":["Root"]}}}`
	case field == "Content": // an SCP denying root all but the hostile action names
		act, _ := json.Marshal([]string{"iam:" + HostilePayload})
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":` + string(act) +
			`,"Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:*:iam::*:root"}}}]}`
	}
	return "Eve" + HostilePayload
}

// credentialReport is the CSV of a GetCredentialReport answer.
func (g generator) credentialReport() []byte {
	user, arn := "eve", "arn:aws:iam::"+hostileAccount+":user/eve"
	rootARN := "arn:aws:iam::" + hostileAccount + ":root"
	if g.mode == ModeEscapes {
		user, arn, rootARN = "eve"+HostilePayload, arn+HostilePayload, rootARN+HostilePayload
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(strings.Split("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"+
		"password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,"+
		"access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"+
		"access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"+
		"cert_1_last_rotated,cert_2_active,cert_2_last_rotated", ","))
	_ = w.Write([]string{"<root_account>", rootARN, "2019-05-05T00:00:00+00:00", "not_supported", "no_information", "not_supported",
		"not_supported", "true", "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"})
	_ = w.Write([]string{user, arn, "2023-02-03T04:05:06+00:00", "true", "2026-01-01T00:00:00+00:00", "2023-02-03T04:05:06+00:00",
		"N/A", "false", "true", "2024-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00", "us-east-1", "s3",
		"false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"})
	w.Flush()
	return b.Bytes()
}

// body is the whole answer: an <Op>Response XML document for awsQuery, a
// JSON object otherwise.
func (g generator) body() []byte {
	t := reflect.TypeOf(g.op.Output)
	if g.op.Protocol == ProtocolQuery {
		var b strings.Builder
		fmt.Fprintf(&b, `<%[1]sResponse xmlns="https://aws.amazon.com/doc/"><%[1]sResult>`, g.op.Name)
		g.xmlFields(&b, t, map[reflect.Type]bool{})
		fmt.Fprintf(&b, `</%[1]sResult><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ResponseMetadata></%[1]sResponse>`, g.op.Name)
		return []byte(b.String())
	}
	switch g.op.Protocol {
	case ProtocolRESTXML:
		return g.restXMLBody(t)
	case ProtocolCBOR:
		// Member names as the Go fields spell them (jsonFields adds a
		// lower-case twin, which the decoder ignores as unknown).
		v, err := cborValue(g.jsonFields(t, map[reflect.Type]bool{}))
		if err != nil {
			panic(err) // only maps, slices and scalars
		}
		return cbor.Encode(v)
	}
	v := g.jsonFields(t, map[reflect.Type]bool{})
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps, slices and scalars
	}
	return b
}

// restXMLBody is a restXml answer: the payload member's element (or, for
// a string payload, the string itself), or else the body members in one
// <OpResult> element. Members sent as headers are not in the body; an
// answer without body members has none.
func (g generator) restXMLBody(t reflect.Type) []byte {
	root := g.op.Name + "Result"
	if g.op.Payload != "" {
		f, ok := t.FieldByName(g.op.Payload)
		if !ok {
			panic("awstest: " + g.op.String() + " has no member " + g.op.Payload)
		}
		if g.op.payloadIsString() {
			return g.stringPayload()
		}
		root, t = f.Name, f.Type.Elem()
	} else {
		body := false
		for i := range t.NumField() {
			f := t.Field(i)
			_, header := g.op.Headers[f.Name]
			body = body || !skipField(f) && !header
		}
		if !body {
			return nil
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><%s xmlns="%s">`, root, g.op.xmlNamespace())
	g.xmlFields(&b, t, map[reflect.Type]bool{})
	fmt.Fprintf(&b, "</%s>", root)
	return []byte(b.String())
}

// stringPayload is a string payload: the only one rootguard reads is a
// policy document (S3's GetBucketPolicy), so it is one, with the hostile
// strings in its values.
func (g generator) stringPayload() []byte {
	if g.mode == ModeWrongType {
		return []byte(`{"Version":12345,"Statement":"not a list"}`)
	}
	doc := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Sid": g.text("Sid"), "Effect": "Allow", "Principal": map[string]any{"AWS": g.text("PrincipalArn")},
		"Action": "s3:GetObject", "Resource": g.text("ResourceArn"),
	}}}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err) // only maps, slices and strings
	}
	return b
}

// payloadIsString reports whether the payload member is a string.
func (o Operation) payloadIsString() bool {
	f, ok := reflect.TypeOf(o.Output).FieldByName(o.Payload)
	return o.Payload != "" && ok && f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.String
}

// isS3 reports whether the operation is S3's (not S3 Control's).
func (o Operation) isS3() bool { return strings.HasSuffix(o.Package(), "/service/s3") }

// xmlNamespace is the namespace of the service's restXml documents.
func (o Operation) xmlNamespace() string {
	if o.isS3() {
		return "http://s3.amazonaws.com/doc/2006-03-01/"
	}
	return "http://awss3control.amazonaws.com/doc/2018-08-20/"
}

// shapeless is an answer with none of the operation's fields.
func (g generator) shapeless() []byte {
	switch g.op.Protocol {
	case ProtocolQuery:
		return fmt.Appendf(nil, `<%[1]sResponse xmlns="https://aws.amazon.com/doc/"><%[1]sResult><Unexpected>x</Unexpected></%[1]sResult></%[1]sResponse>`, g.op.Name)
	case ProtocolRESTXML:
		if g.op.payloadIsString() {
			return []byte(`{"Unexpected":"x"}`) // a JSON document without a single member it should have
		}
		return []byte(`<Result><Unexpected>x</Unexpected></Result>`)
	case ProtocolCBOR:
		return cbor.Encode(cbor.Map{"Unexpected": cbor.String("x")})
	}
	return []byte(`{"Unexpected":"x"}`)
}

// skipField: SDK bookkeeping, not part of the answer.
func skipField(f reflect.StructField) bool {
	return !f.IsExported() || f.Name == "ResultMetadata"
}

var (
	timeType  = reflect.TypeFor[time.Time]()
	bytesType = reflect.TypeFor[[]byte]()
)

// scalarField handles pagination and the few fields whose value decides
// whether a read goes on (so every later call is reached too). ok false:
// not special.
func (g generator) scalarField(name string, t reflect.Type) (v any, ok bool) {
	switch name {
	case "NextToken", "Marker", "NextMarker", "NextPageToken":
		if g.paging() {
			return g.token(), true
		}
		return nil, true // omitted: the last page
	case "IsTruncated":
		return g.paging(), true
	case "AwsManaged":
		return false, true
	case "GeneratedTime":
		return time.Now().UTC(), true
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == bytesType && name == "Content" {
		return g.credentialReport(), true
	}
	return nil, false
}

// maxDepth bounds nesting for recursive types (budgets' Expression).
const maxDepth = 8

// jsonFields builds a JSON value for a struct type, writing each member
// both as the Go field name and with a lower-case first letter: AWS's JSON
// names are one or the other (GuardDuty and CloudTrail's trailList are
// camelCase), and the SDK ignores the spelling it does not expect.
func (g generator) jsonFields(t reflect.Type, path map[reflect.Type]bool) map[string]any {
	out := map[string]any{}
	for i := range t.NumField() {
		f := t.Field(i)
		if skipField(f) {
			continue
		}
		var v any
		if sv, ok := g.scalarField(f.Name, f.Type); ok {
			if sv == nil {
				continue
			}
			v = sv
			switch x := sv.(type) {
			case time.Time:
				continue // JSON timestamp formats differ per member: left out
			case []byte:
				v = base64.StdEncoding.EncodeToString(x)
			}
			if g.mode == ModeWrongType {
				v = wrongJSON(v)
			}
		} else if v, ok = g.jsonValue(f.Name, f.Type, path); !ok {
			continue
		}
		out[f.Name] = v
		out[strings.ToLower(f.Name[:1])+f.Name[1:]] = v
	}
	return out
}

// jsonValue is the JSON for one field; ok false leaves it out.
func (g generator) jsonValue(name string, t reflect.Type, path map[reflect.Type]bool) (any, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var v any
	switch {
	case t == timeType:
		return nil, false
	case t == bytesType:
		v = base64.StdEncoding.EncodeToString([]byte(g.text(name)))
	case t.Kind() == reflect.String:
		v = g.text(name)
	case t.Kind() == reflect.Bool:
		v = true
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		v = 1
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		v = 1.5
	case t.Kind() == reflect.Struct:
		if path[t] || len(path) >= maxDepth {
			return nil, false
		}
		path[t] = true
		m := g.jsonFields(t, path)
		delete(path, t)
		v = m
	case t.Kind() == reflect.Slice:
		e, ok := g.jsonValue(name, t.Elem(), path)
		if !ok {
			return nil, false
		}
		v = []any{e}
	case t.Kind() == reflect.Map:
		e, ok := g.jsonValue(name, t.Elem(), path)
		if !ok {
			return nil, false
		}
		v = map[string]any{g.text("key"): e}
	default: // interfaces: documents and unions
		return nil, false
	}
	if g.mode == ModeWrongType {
		v = wrongJSON(v)
	}
	return v, true
}

// wrongJSON is a value of another JSON type.
func wrongJSON(v any) any {
	switch v.(type) {
	case string:
		return 12345
	case map[string]any:
		return []any{"not an object"}
	case []any:
		return "not a list"
	}
	return map[string]any{"not": "a scalar"}
}

// xmlFields writes a struct type's members as awsQuery XML elements.
func (g generator) xmlFields(b *strings.Builder, t reflect.Type, path map[reflect.Type]bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if skipField(f) {
			continue
		}
		if sv, ok := g.scalarField(f.Name, f.Type); ok {
			if sv == nil {
				continue
			}
			var s string
			switch x := sv.(type) {
			case time.Time:
				s = x.Format(time.RFC3339)
			case []byte:
				s = base64.StdEncoding.EncodeToString(x)
			case bool:
				s = strconv.FormatBool(x)
			default:
				s = fmt.Sprint(x)
			}
			if g.mode == ModeWrongType {
				s = "<member>not a value</member>"
			} else {
				s = xmlText(s)
			}
			fmt.Fprintf(b, "<%s>%s</%s>", f.Name, s, f.Name)
			continue
		}
		if _, header := g.op.Headers[f.Name]; header && t == reflect.TypeOf(g.op.Output) {
			continue
		}
		if elem, ok := g.op.Flat[f.Name]; ok && f.Type.Kind() == reflect.Slice {
			var item strings.Builder
			if g.xmlValue(&item, f.Name, f.Type.Elem(), path) {
				if g.mode == ModeWrongType {
					item.Reset()
					item.WriteString("not a list")
				}
				fmt.Fprintf(b, "<%s>%s</%s>", elem, item.String(), elem)
			}
			continue
		}
		var inner strings.Builder
		if g.xmlValue(&inner, f.Name, f.Type, path) {
			fmt.Fprintf(b, "<%s>%s</%s>", f.Name, inner.String(), f.Name)
		}
	}
}

// xmlValue writes one member's content; false leaves the member out.
func (g generator) xmlValue(b *strings.Builder, name string, t reflect.Type, path map[reflect.Type]bool) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	wrong := g.mode == ModeWrongType
	switch {
	case t == timeType:
		if wrong {
			b.WriteString("yesterday")
		} else {
			b.WriteString("2026-01-02T03:04:05Z")
		}
	case t == bytesType:
		b.WriteString(base64.StdEncoding.EncodeToString([]byte(g.text(name))))
	case t.Kind() == reflect.String:
		if wrong {
			b.WriteString("<member>not a string</member>")
		} else {
			b.WriteString(xmlText(g.text(name)))
		}
	case t.Kind() == reflect.Bool:
		b.WriteString(map[bool]string{false: "true", true: "perhaps"}[wrong])
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Float64:
		b.WriteString(map[bool]string{false: "1", true: "one"}[wrong])
	case t.Kind() == reflect.Struct:
		if path[t] || len(path) >= maxDepth {
			return false
		}
		if wrong {
			b.WriteString("not a structure")
			return true
		}
		path[t] = true
		g.xmlFields(b, t, path)
		delete(path, t)
	case t.Kind() == reflect.Slice:
		var item strings.Builder
		if !g.xmlValue(&item, name, t.Elem(), path) {
			return false
		}
		if wrong {
			b.WriteString("not a list")
		} else {
			fmt.Fprintf(b, "<member>%s</member>", item.String())
		}
	case t.Kind() == reflect.Map:
		var item strings.Builder
		if !g.xmlValue(&item, name, t.Elem(), path) {
			return false
		}
		fmt.Fprintf(b, "<entry><key>%s</key><value>%s</value></entry>", xmlText(g.text("key")), item.String())
	default:
		return false
	}
	return true
}

// xmlText escapes s for XML and leaves out what XML 1.0 cannot carry at
// all (most C0 controls): an AWS XML answer can never deliver those.
func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\r':
			b.WriteString("&#xD;")
		case r < 0x20 && r != '\t' && r != '\n', r == utf8.RuneError, r == 0xfffe, r == 0xffff:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
