package awsops

import (
	"encoding/json"
	"fmt"
	"hash/maphash"
	"reflect"
	"sync"
	"time"
)

// Pagination fields, by name, as every SDK operation spells them: the
// request's token and where the answer puts the next one.
var (
	requestTokenFields = []string{"NextToken", "Marker", "PageToken"}
	answerTokenFields  = []string{"NextToken", "Marker", "NextMarker", "NextPageToken"}
)

// pendingTTL is how long a handed-out token is remembered for the request
// that should follow it; a listing abandoned midway is forgotten after it.
const pendingTTL = 10 * time.Minute

// pageTracker follows every paginated listing without help from the loops
// that page through it: the token an answer hands out is remembered, and
// the request that comes back with it continues that listing. A listing
// that hands out a token it already used, or goes past max pages, is
// refused. Safe for concurrent use; listings of the same operation and
// input that run at once stay apart because each token is claimed once.
type pageTracker struct {
	max  int
	seed maphash.Seed

	mu      sync.Mutex
	pending map[pageKey][]*pageChain
}

// pageKey is a token handed out for one operation and one input (the
// request without its token).
type pageKey struct {
	op    string
	input uint64
	token uint64
}

// pageChain is one listing so far.
type pageChain struct {
	pages int                 // pages answered, including the one awaited
	seen  map[uint64]struct{} // tokens already requested (hashes)
	at    time.Time           // when the last token was handed out
}

// pageCall is one request of a listing, between begin and end.
type pageCall struct {
	op, service string
	input       uint64
	token       uint64
	chain       *pageChain
}

func newPageTracker(max int) *pageTracker {
	return &pageTracker{max: max, seed: maphash.MakeSeed(), pending: map[pageKey][]*pageChain{}}
}

// begin finds the listing a request continues; nil when the operation does
// not paginate.
func (t *pageTracker) begin(service, op string, params any) (*pageCall, error) {
	v := reflect.ValueOf(params)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil, nil
	}
	field, token, ok := tokenField(v.Elem(), requestTokenFields)
	if !ok {
		return nil, nil
	}
	c := &pageCall{op: service + "." + op, service: service, input: t.inputHash(v.Elem(), field)}
	if token == "" {
		c.chain = &pageChain{pages: 1, seen: map[uint64]struct{}{}}
		return c, nil
	}
	c.token = t.hash(token)
	key := pageKey{op: c.op, input: c.input, token: c.token}
	t.mu.Lock()
	if chains := t.pending[key]; len(chains) > 0 {
		c.chain = chains[len(chains)-1]
		if len(chains) == 1 {
			delete(t.pending, key)
		} else {
			t.pending[key] = chains[:len(chains)-1]
		}
	}
	t.mu.Unlock()
	if c.chain == nil { // a token this tracker did not hand out (or forgot)
		c.chain = &pageChain{pages: 1, seen: map[uint64]struct{}{}}
	}
	c.chain.seen[c.token] = struct{}{}
	return c, nil
}

// end looks at the answer's next token: the listing ends, continues, or is
// refused for repeating a token or going past the page cap.
func (t *pageTracker) end(c *pageCall, result any) error {
	if c == nil {
		return nil
	}
	v := reflect.ValueOf(result)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	out := v.Elem()
	_, next, _ := tokenField(out, answerTokenFields)
	if f := out.FieldByName("IsTruncated"); f.IsValid() && f.Kind() == reflect.Bool && !f.Bool() {
		next = "" // IAM sends a Marker only with IsTruncated
	}
	if next == "" {
		return nil
	}
	h := t.hash(next)
	service, op := splitOp(c)
	if _, dup := c.chain.seen[h]; dup {
		return &AnswerError{Service: service, Operation: op, Problem: AnswerRepeatedToken}
	}
	if c.chain.pages >= t.max {
		return &AnswerError{Service: service, Operation: op, Problem: AnswerTooManyPages, Limit: int64(t.max)}
	}
	c.chain.pages++
	now := time.Now()
	c.chain.at = now
	key := pageKey{op: c.op, input: c.input, token: h}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pending[key] = append(t.pending[key], c.chain)
	if len(t.pending) > 1024 {
		t.forgetOlderThan(now.Add(-pendingTTL))
	}
	return nil
}

func splitOp(c *pageCall) (service, op string) {
	return c.service, c.op[len(c.service)+1:]
}

// forgetOlderThan drops abandoned listings. Callers hold mu.
func (t *pageTracker) forgetOlderThan(cutoff time.Time) {
	for k, chains := range t.pending {
		kept := chains[:0]
		for _, ch := range chains {
			if ch.at.After(cutoff) {
				kept = append(kept, ch)
			}
		}
		if len(kept) == 0 {
			delete(t.pending, k)
		} else {
			t.pending[k] = kept
		}
	}
}

// tokenField returns the first of names that v has as a string or *string
// field, with its value.
func tokenField(v reflect.Value, names []string) (name, value string, ok bool) {
	for _, n := range names {
		f := v.FieldByName(n)
		if !f.IsValid() {
			continue
		}
		switch {
		case f.Kind() == reflect.String:
			return n, f.String(), true
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.String:
			if f.IsNil() {
				return n, "", true
			}
			return n, f.Elem().String(), true
		}
	}
	return "", "", false
}

// inputHash identifies a request without its token: the same listing asks
// with the same input every page.
func (t *pageTracker) inputHash(in reflect.Value, tokenName string) uint64 {
	c := reflect.New(in.Type()).Elem()
	c.Set(in)
	f := c.FieldByName(tokenName)
	f.SetZero()
	b, err := json.Marshal(c.Interface())
	if err != nil {
		b = fmt.Appendf(nil, "%#v", c.Interface())
	}
	return maphash.Bytes(t.seed, b)
}

func (t *pageTracker) hash(s string) uint64 { return maphash.String(t.seed, s) }
