package awsops

import (
	"encoding/json"
	"fmt"
	"slices"
)

// The bucket policy the cloudtrail fix writes: the statements AWS
// documents for a trail's bucket. The actions here are granted to
// CloudTrail, not calls rootguard makes.

// Sids of the bucket policy statements CloudTrail needs.
const (
	SidTrailACLCheck = "AWSCloudTrailAclCheck"
	SidTrailWrite    = "AWSCloudTrailWrite"
)

// trailStatements are the two statements AWS documents for a trail's
// bucket, scoped to the one trail and account.
func trailStatements(partition, bucket, account, trailARN string) []map[string]any {
	p := orAWS(partition)
	scope := map[string]string{"aws:SourceArn": trailARN, "aws:SourceAccount": account}
	principal := map[string]string{"Service": "cloudtrail.amazonaws.com"}
	write := map[string]string{"s3:x-amz-acl": "bucket-owner-full-control"}
	for k, v := range scope {
		write[k] = v
	}
	return []map[string]any{
		{"Sid": SidTrailACLCheck, "Effect": "Allow", "Principal": principal, "Action": "s3:GetBucketAcl",
			"Resource": "arn:" + p + ":s3:::" + bucket, "Condition": map[string]any{"StringEquals": scope}},
		{"Sid": SidTrailWrite, "Effect": "Allow", "Principal": principal, "Action": "s3:PutObject",
			"Resource": "arn:" + p + ":s3:::" + bucket + "/AWSLogs/" + account + "/*", "Condition": map[string]any{"StringEquals": write}},
	}
}

// TrailBucketPolicy is the bucket policy that lets CloudTrail deliver the
// trail's logs: the AclCheck and Write statements, each only for this
// trail (aws:SourceArn) of this account (aws:SourceAccount). Its fields are
// in the order AWS's documentation shows them.
func TrailBucketPolicy(partition, bucket, account, trailARN string) string {
	type statement struct {
		Sid       string
		Effect    string
		Principal map[string]string
		Action    string
		Resource  string
		Condition map[string]any
	}
	doc := struct {
		Version   string
		Statement []statement
	}{Version: "2012-10-17"}
	for _, m := range trailStatements(partition, bucket, account, trailARN) {
		doc.Statement = append(doc.Statement, statement{Sid: m["Sid"].(string), Effect: m["Effect"].(string),
			Principal: m["Principal"].(map[string]string), Action: m["Action"].(string), Resource: m["Resource"].(string),
			Condition: m["Condition"].(map[string]any)})
	}
	b, _ := json.Marshal(doc) // strings and maps of strings: cannot fail
	return string(b)
}

// MergeTrailBucketPolicy adds CloudTrail's two statements to an existing
// bucket policy, replacing statements with the same Sids and keeping the
// rest. It reports changed false when the statements are there already.
func MergeTrailBucketPolicy(existing, partition, bucket, account, trailARN string) (policy string, changed bool, err error) {
	if existing == "" {
		return TrailBucketPolicy(partition, bucket, account, trailARN), true, nil
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(existing), &doc); err != nil || doc == nil {
		return "", false, fmt.Errorf("the bucket's policy is not a JSON object, so rootguard does not change it")
	}
	var stmts []any
	switch s := doc["Statement"].(type) {
	case []any:
		stmts = s
	case map[string]any:
		stmts = []any{s}
	case nil:
	default:
		return "", false, fmt.Errorf("the bucket's policy has a Statement that is neither an object nor a list")
	}
	want := trailStatements(partition, bucket, account, trailARN)
	have := 0
	var kept []any
	for _, s := range stmts {
		m, _ := s.(map[string]any)
		sid, _ := m["Sid"].(string)
		if sid == SidTrailACLCheck || sid == SidTrailWrite {
			if slices.ContainsFunc(want, func(w map[string]any) bool { return sameJSON(w, m) }) {
				have++
			}
			continue
		}
		kept = append(kept, s)
	}
	if have == len(want) {
		return existing, false, nil
	}
	for _, w := range want {
		kept = append(kept, w)
	}
	doc["Statement"] = kept
	if _, ok := doc["Version"]; !ok {
		doc["Version"] = "2012-10-17"
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return "", false, err
	}
	return string(b), true, nil
}

func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	if errA != nil || errB != nil {
		return false
	}
	var na, nb any
	if json.Unmarshal(ja, &na) != nil || json.Unmarshal(jb, &nb) != nil {
		return false
	}
	ca, _ := json.Marshal(na)
	cb, _ := json.Marshal(nb)
	return string(ca) == string(cb)
}
