package awstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"strconv"
)

func response(status int, contentType string, body []byte, header http.Header) *http.Response {
	h := http.Header{}
	for k, v := range header {
		h[k] = v
	}
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Amzn-Requestid", "00000000-0000-4000-8000-000000000000")
	return &http.Response{
		StatusCode:    status,
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
	}
}

// XML answers an awsQuery request with an XML body.
func XML(status int, body string) Responder {
	return func(*Request) (*http.Response, error) {
		return response(status, "text/xml", []byte(body), nil), nil
	}
}

// QueryResult answers an awsQuery request with <Op>Response/<Op>Result
// wrapping inner, the shape every IAM, STS and SNS response has.
func QueryResult(inner string) Responder {
	return func(r *Request) (*http.Response, error) {
		op := r.Form().Get("Action")
		body := fmt.Sprintf(`<%[1]sResponse xmlns="https://aws.amazon.com/doc/"><%[1]sResult>%[2]s</%[1]sResult>`+
			`<ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ResponseMetadata></%[1]sResponse>`, op, inner)
		return response(200, "text/xml", []byte(body), nil), nil
	}
}

// JSON answers with a JSON body, with the content type of the request's
// protocol (application/x-amz-json-1.1 for awsJson, application/json for
// restJson).
func JSON(status int, body string) Responder {
	return func(r *Request) (*http.Response, error) {
		return response(status, jsonContentType(r), []byte(body), nil), nil
	}
}

// JSONValue answers 200 with v marshalled to JSON.
func JSONValue(v any) Responder {
	return func(r *Request) (*http.Response, error) {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return response(200, jsonContentType(r), b, nil), nil
	}
}

func jsonContentType(r *Request) string {
	if r.Target() != "" {
		return "application/x-amz-json-1.1"
	}
	return "application/json"
}

// AWSError answers with an AWS error in the wire format of the request's
// protocol: an XML ErrorResponse for awsQuery, a __type body for awsJson,
// and an X-Amzn-ErrorType header plus body for restJson.
func AWSError(status int, code, message string) Responder {
	return func(r *Request) (*http.Response, error) {
		switch {
		case isForm(r.Header):
			body := fmt.Sprintf(`<ErrorResponse xmlns="https://aws.amazon.com/doc/"><Error><Type>Sender</Type>`+
				`<Code>%s</Code><Message>%s</Message></Error><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ErrorResponse>`,
				html.EscapeString(code), html.EscapeString(message))
			return response(status, "text/xml", []byte(body), nil), nil
		case r.Target() != "":
			b, _ := json.Marshal(map[string]string{"__type": code, "message": message})
			return response(status, "application/x-amz-json-1.1", b, nil), nil
		default:
			b, _ := json.Marshal(map[string]string{"message": message})
			h := http.Header{"X-Amzn-Errortype": {code}}
			return response(status, "application/json", b, h), nil
		}
	}
}

// XMLError answers a restXml request (S3 Control) with an AWS error: an
// ErrorResponse whose Error element holds the code and message.
func XMLError(status int, code, message string) Responder {
	return func(*Request) (*http.Response, error) {
		body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Error><Code>%s</Code><Message>%s</Message></Error>`+
			`<RequestId>00000000-0000-4000-8000-000000000000</RequestId><HostId>host</HostId></ErrorResponse>`,
			html.EscapeString(code), html.EscapeString(message))
		return response(status, "application/xml", []byte(body), nil), nil
	}
}

// S3Error answers an S3 request with an S3 error: an Error element as the
// whole document (S3 does not wrap it in ErrorResponse as S3 Control does).
func S3Error(status int, code, message string) Responder {
	return func(*Request) (*http.Response, error) {
		body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message>`+
			`<RequestId>0000000000000000</RequestId><HostId>host</HostId></Error>`,
			html.EscapeString(code), html.EscapeString(message))
		return response(status, "application/xml", []byte(body), nil), nil
	}
}
