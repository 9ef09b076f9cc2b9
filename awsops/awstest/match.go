package awstest

import (
	"fmt"
	"net/url"
	"strings"
)

// Query matches an awsQuery request (IAM, STS, SNS) by its Action.
func Query(action string) Matcher {
	return Matcher{desc: "query " + action, match: func(r *Request) bool {
		return isForm(r.Header) && r.Form().Get("Action") == action
	}}
}

// JSONTarget matches an awsJson request by its X-Amz-Target header, e.g.
// "AWSOrganizationsV20161128.DescribeOrganization".
func JSONTarget(target string) Matcher {
	return Matcher{desc: "json " + target, match: func(r *Request) bool { return r.Target() == target }}
}

// REST matches a restJson or restXml request (Account, GuardDuty, Security
// Hub; S3 Control) by method and path.
func REST(method, path string) Matcher {
	return Matcher{desc: "rest " + method + " " + path, match: func(r *Request) bool {
		return r.Method == method && r.Path == path && r.Target() == ""
	}}
}

// FormValue matches an awsQuery request whose form field key is value.
func FormValue(key, value string) Matcher {
	return Matcher{desc: fmt.Sprintf("%s=%s", key, value), match: func(r *Request) bool {
		return isForm(r.Header) && r.Form().Get(key) == value
	}}
}

// NoFormValue matches an awsQuery request that has no form field key.
func NoFormValue(key string) Matcher {
	return Matcher{desc: "no " + key, match: func(r *Request) bool {
		_, ok := r.Form()[key]
		return isForm(r.Header) && !ok
	}}
}

// JSONField matches a JSON request whose top-level field key is the string value.
func JSONField(key, value string) Matcher {
	return Matcher{desc: fmt.Sprintf("%s=%q", key, value), match: func(r *Request) bool {
		var body map[string]any
		if r.JSON(&body) != nil {
			return false
		}
		s, ok := body[key].(string)
		return ok && s == value
	}}
}

// Header matches a request whose header key is value (REST protocols put
// parameters there, e.g. S3 Control's X-Amz-Account-Id).
func Header(key, value string) Matcher {
	return Matcher{desc: fmt.Sprintf("header %s: %s", key, value), match: func(r *Request) bool { return r.Header.Get(key) == value }}
}

// URLQuery matches a request whose URL query has key (with any value,
// or none: S3's subresources such as ?policy and ?encryption).
func URLQuery(key string) Matcher {
	return Matcher{desc: "?" + key, match: func(r *Request) bool {
		q, err := url.ParseQuery(r.RawQuery)
		_, ok := q[key]
		return err == nil && ok
	}}
}

// NoURLQuery matches a request without a URL query (S3's bucket calls
// themselves, e.g. CreateBucket, HeadBucket).
func NoURLQuery() Matcher {
	return Matcher{desc: "no query", match: func(r *Request) bool { return r.RawQuery == "" }}
}

// Host matches the request host, e.g. "events.us-east-1.amazonaws.com".
func Host(host string) Matcher {
	return Matcher{desc: "host " + host, match: func(r *Request) bool { return r.Host == host }}
}

// And matches when every matcher does.
func And(ms ...Matcher) Matcher {
	descs := make([]string, len(ms))
	for i, m := range ms {
		descs[i] = m.desc
	}
	return Matcher{desc: strings.Join(descs, " & "), match: func(r *Request) bool {
		for _, m := range ms {
			if !m.match(r) {
				return false
			}
		}
		return true
	}}
}

// Func matches with any predicate; desc names it in failure messages.
func Func(desc string, match func(*Request) bool) Matcher {
	return Matcher{desc: desc, match: match}
}
