package awsops_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

// IAM condition semantics for root-deny SCPs: StringEquals takes no
// wildcards, ArnLike/ArnEquals/StringLike do; any further condition
// narrows the deny except Null aws:AssumedRoot.
func TestAnalyzeRootDeny(t *testing.T) {
	deny := func(cond string) string {
		return `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":` + cond + `}]}`
	}
	for _, tc := range []struct {
		name     string
		doc      string
		denies   bool
		narrowed []string
		broken   string
	}{
		{"ArnLike wildcard", deny(`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}`), true, nil, ""},
		{"ArnEquals takes wildcards too", deny(`{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}`), true, nil, ""},
		{"StringLike wildcard", deny(`{"StringLike":{"aws:PrincipalArn":"arn:*:iam::*:root"}}`), true, nil, ""},
		{"AssumedRoot exception is fine", deny(`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"Null":{"aws:AssumedRoot":"true"}}`), true, nil, ""},
		{"StringEquals with a wildcard denies nothing", deny(`{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}`), false, nil, "StringEquals takes no wildcards"},
		{"StringEquals one account narrows", deny(`{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::444455556666:root"}}`), true,
			[]string{"only the root user of 444455556666"}, ""},
		{"region narrows", deny(`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"StringEquals":{"aws:RequestedRegion":["us-east-1"]}}`), true,
			[]string{"aws:RequestedRegion (StringEquals)"}, ""},
		{"MFA narrows", deny(`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`), true,
			[]string{"aws:MultiFactorAuthPresent (BoolIfExists)"}, ""},
		{"AssumedRoot the other way narrows", deny(`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"Null":{"aws:AssumedRoot":"false"}}`), true,
			[]string{"aws:AssumedRoot (Null)"}, ""},
		{"ArnNotLike root excludes root", deny(`{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}`), false, nil, "matches no root user"},
		{"a full deny beats a narrowed one", `{"Statement":[
			{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}},
			{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}`, true, nil, ""},
	} {
		d := awsops.AnalyzeRootDeny(tc.doc)
		if d.Denies != tc.denies || !slices.Equal(d.NarrowedBy, tc.narrowed) || !strings.Contains(d.Broken, tc.broken) || (tc.broken == "" && d.Broken != "") {
			t.Errorf("%s: %+v, want denies %v narrowed %v broken %q", tc.name, d, tc.denies, tc.narrowed, tc.broken)
		}
	}
}

func TestTopicPolicyLetsEventBridgePublish(t *testing.T) {
	const topic, rule = "arn:aws:sns:us-east-1:123456789012:alerts", "arn:aws:events:us-east-1:123456789012:rule/root"
	allow := func(extra string) string {
		return `{"Statement":[{"Sid":"EB","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"` + topic + `"` + extra + `}]}`
	}
	for _, tc := range []struct {
		name           string
		policy         string
		allowed        bool
		denied, unsure string
	}{
		{"documented statement", allow(""), true, "", ""},
		{"for this rule", allow(`,"Condition":{"ArnEquals":{"aws:SourceArn":"` + rule + `"}}`), true, "", ""},
		{"for this account", allow(`,"Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}`), true, "", ""},
		{"for another rule", allow(`,"Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:events:us-east-1:123456789012:rule/x"}}`), false, "", ""},
		{"unknown condition", allow(`,"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), false, "", "EB"},
		{"wildcard action and resource", `{"Statement":[{"Effect":"Allow","Principal":{"Service":["events.amazonaws.com"]},"Action":"sns:*","Resource":"*"}]}`, true, "", ""},
		{"default topic policy", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:Publish","SNS:Subscribe"],"Resource":"` + topic + `",` +
			`"Condition":{"StringEquals":{"AWS:SourceOwner":"123456789012"}}}]}`, false, "", ""},
		{"another service only", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sns:Publish","Resource":"*"}]}`, false, "", ""},
		{"allowed then denied", `{"Statement":[` + strings.TrimSuffix(strings.TrimPrefix(allow(""), `{"Statement":[`), `]}`) +
			`,{"Sid":"Stop","Effect":"Deny","Principal":"*","Action":"sns:Publish","Resource":"*"}]}`, false, "Stop", ""},
		{"not a policy", `nope`, false, "", ""},
	} {
		got := awsops.TopicPolicyLetsEventBridgePublish(tc.policy, topic, rule)
		if got.Allowed != tc.allowed || got.DeniedBy != tc.denied || got.Unsure != tc.unsure {
			t.Errorf("%s: %+v", tc.name, got)
		}
	}
}

func TestKeyPolicyLetsEventBridgeUse(t *testing.T) {
	ok := `{"Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*"}]}`
	decryptOnly := `{"Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"kms:Decrypt","Resource":"*"}]}`
	defaultKey := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]}`
	if !awsops.KeyPolicyLetsEventBridgeUse(ok).Allowed || awsops.KeyPolicyLetsEventBridgeUse(decryptOnly).Allowed ||
		awsops.KeyPolicyLetsEventBridgeUse(defaultKey).Allowed {
		t.Error("EventBridge needs kms:GenerateDataKey and kms:Decrypt from the key policy itself")
	}
}

func TestGrantsFullAccessAndDenials(t *testing.T) {
	full := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	if !awsops.GrantsFullAccess(full) || !awsops.GrantsFullAccess(url.QueryEscape(full)) {
		t.Error("* on * (plain or URL-encoded) is full access")
	}
	for _, doc := range []string{
		`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::x"}]}`,
	} {
		if awsops.GrantsFullAccess(doc) {
			t.Errorf("not full access: %s", doc)
		}
	}
	doc := `{"Statement":[{"Sid":"NoIAM","Effect":"Deny","Action":"iam:*","Resource":"*"},` +
		`{"Sid":"ForceMFA","Effect":"Deny","NotAction":"iam:ChangePassword","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}},` +
		`{"Effect":"Deny","Action":"ec2:*","Resource":"*"}]}`
	if got := awsops.PolicyDenials(doc); !slices.Equal(got, []string{"NoIAM", "statement 3"}) {
		t.Errorf("denials = %v (a force-MFA deny does not cut an MFA admin down)", got)
	}
}

func TestFederatedProviders(t *testing.T) {
	trust := `{"Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity"},` +
		`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	if got := awsops.FederatedProviders(trust); !slices.Equal(got, []string{"arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"}) {
		t.Errorf("providers = %v", got)
	}
}

func TestMetricFilterMatchesRoot(t *testing.T) {
	for pattern, want := range map[string]bool{
		`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`: true,
		`{$.userIdentity.type="Root"}`:                             true,
		`{ ($.userIdentity.type = "Root") }`:                       true,
		`{ $.eventName = "ConsoleLogin" && $.errorMessage = "x" }`: false,
		`{ $.userIdentity.type != "Root" }`:                        false,
	} {
		if got := awsops.MetricFilterMatchesRoot(pattern); got != want {
			t.Errorf("%s: %v, want %v", pattern, got, want)
		}
	}
}

// Root users are those of the organization's partition: a GovCloud SCP
// naming arn:aws denies no GovCloud root, and arn:aws-us-gov denies them.
func TestAnalyzeRootDenyInAPartition(t *testing.T) {
	deny := func(pattern string) string {
		return `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"` + pattern + `"}}}]}`
	}
	for _, tc := range []struct {
		partition, pattern string
		denies             bool
	}{
		{"aws-us-gov", "arn:aws-us-gov:iam::*:root", true},
		{"aws-us-gov", "arn:*:iam::*:root", true},
		{"aws-us-gov", "arn:aws:iam::*:root", false},
		{"aws-cn", "arn:aws-cn:iam::*:root", true},
		{"aws", "arn:aws-us-gov:iam::*:root", false},
		{"aws", "arn:aws:iam::*:root", true},
	} {
		if d := awsops.AnalyzeRootDenyIn(tc.partition, deny(tc.pattern)); d.Denies != tc.denies {
			t.Errorf("%s, %s: %+v, want denies %v", tc.partition, tc.pattern, d, tc.denies)
		}
	}
	if d := awsops.AnalyzeRootDenyIn("aws-us-gov", `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalArn":"arn:aws-us-gov:iam::444455556666:root"}}}]}`); !d.Denies ||
		!slices.Equal(d.NarrowedBy, []string{"only the root user of 444455556666"}) {
		t.Errorf("one GovCloud account: %+v", d)
	}
}
