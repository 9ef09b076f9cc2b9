package awstest

import (
	"fmt"
	"net/http"

	"github.com/aws/smithy-go/encoding/cbor"
)

// CBOR answers a Smithy RPC v2 CBOR request (CloudWatch) with v encoded as
// CBOR: v is JSON-like (maps, slices, strings, bools, numbers).
func CBOR(status int, v any) Responder {
	return func(*Request) (*http.Response, error) {
		val, err := cborValue(v)
		if err != nil {
			return nil, err
		}
		return cborResponse(status, cbor.Encode(val)), nil
	}
}

// CBORError answers an RPC v2 CBOR request with an error of that code.
func CBORError(status int, code, message string) Responder {
	return func(*Request) (*http.Response, error) {
		body := cbor.Encode(cbor.Map{"__type": cbor.String(code), "message": cbor.String(message)})
		resp := cborResponse(status, body)
		resp.Header.Set("X-Amzn-Query-Error", code+";Sender")
		return resp, nil
	}
}

// RPCv2 matches a Smithy RPC v2 request for service's operation, e.g.
// RPCv2("GraniteServiceVersion20100801", "DescribeAlarmsForMetric").
func RPCv2(service, op string) Matcher {
	path := "/service/" + service + "/operation/" + op
	return Matcher{desc: "rpcv2 " + op, match: func(r *Request) bool {
		return r.Method == "POST" && r.Path == path && r.Header.Get("Smithy-Protocol") == "rpc-v2-cbor"
	}}
}

func cborResponse(status int, body []byte) *http.Response {
	h := http.Header{}
	h.Set("Smithy-Protocol", "rpc-v2-cbor")
	return response(status, "application/cbor", body, h)
}

func cborValue(v any) (cbor.Value, error) {
	switch x := v.(type) {
	case nil:
		return &cbor.Nil{}, nil
	case string:
		return cbor.String(x), nil
	case bool:
		return cbor.Bool(x), nil
	case float64:
		return cbor.Float64(x), nil
	case int:
		if x < 0 {
			return cbor.NegInt(uint64(-x)), nil
		}
		return cbor.Uint(uint64(x)), nil
	case []string:
		l := make(cbor.List, len(x))
		for i, s := range x {
			l[i] = cbor.String(s)
		}
		return l, nil
	case []any:
		l := make(cbor.List, len(x))
		for i, e := range x {
			ev, err := cborValue(e)
			if err != nil {
				return nil, err
			}
			l[i] = ev
		}
		return l, nil
	case []map[string]any:
		l := make(cbor.List, len(x))
		for i, e := range x {
			ev, err := cborValue(e)
			if err != nil {
				return nil, err
			}
			l[i] = ev
		}
		return l, nil
	case map[string]any:
		m := cbor.Map{}
		for k, e := range x {
			ev, err := cborValue(e)
			if err != nil {
				return nil, err
			}
			m[k] = ev
		}
		return m, nil
	}
	return nil, fmt.Errorf("awstest: no CBOR form for %T", v)
}
