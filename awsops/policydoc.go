package awsops

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
)

// IAM-style policy documents (identity policies, SCPs, topic and key
// policies) as rootguard reads them. Only what a verdict needs is decoded:
// effect, principal, actions, resources and conditions.

type policyDoc struct {
	Statement oneOrMany[policyStatement]
}

type policyStatement struct {
	Sid          string
	Effect       string
	Principal    principalSet
	NotPrincipal json.RawMessage
	Action       oneOrMany[string]
	NotAction    oneOrMany[string]
	Resource     oneOrMany[string]
	NotResource  json.RawMessage
	// Condition values stay raw: each verdict decodes only the keys it
	// understands, so a bool or number under another key cannot break it.
	Condition map[string]map[string]json.RawMessage
}

// principalSet is a statement's Principal: "*" or {"AWS":…, "Service":…,
// "Federated":…}, each one value or a list.
type principalSet struct {
	Any       bool
	AWS       []string
	Service   []string
	Federated []string
}

func (p *principalSet) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		p.Any = s == "*"
		return nil
	}
	var m map[string]oneOrMany[string]
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for k, v := range m {
		switch strings.ToLower(k) {
		case "aws":
			p.AWS = append(p.AWS, v...)
		case "service":
			p.Service = append(p.Service, v...)
		case "federated":
			p.Federated = append(p.Federated, v...)
		}
	}
	if slices.Contains(p.AWS, "*") {
		p.Any = true
	}
	return nil
}

// parsePolicy decodes a policy document. IAM hands documents out
// URL-encoded (GetAccountAuthorizationDetails); others come as plain JSON.
func parsePolicy(document string) (policyDoc, bool) {
	document = strings.TrimSpace(document)
	if document != "" && !strings.HasPrefix(document, "{") {
		if dec, err := url.QueryUnescape(document); err == nil {
			document = dec
		}
	}
	var doc policyDoc
	if document == "" || json.Unmarshal([]byte(document), &doc) != nil {
		return policyDoc{}, false
	}
	return doc, true
}

func (s policyStatement) allow() bool { return strings.EqualFold(s.Effect, "Allow") }
func (s policyStatement) deny() bool  { return strings.EqualFold(s.Effect, "Deny") }

// allActions: Action "*" (or "*:*").
func (s policyStatement) allActions() bool {
	return len(s.NotAction) == 0 && slices.ContainsFunc(s.Action, func(a string) bool { return a == "*" || a == "*:*" })
}

// allResources: the statement covers every resource. Without Resource (or
// with NotResource) it does not.
func (s policyStatement) allResources() bool {
	return len(s.NotResource) == 0 && slices.Contains(s.Resource, "*")
}

// coversAction reports whether the statement's actions include action
// (IAM wildcards, case-insensitive).
func (s policyStatement) coversAction(action string) bool {
	if len(s.NotAction) > 0 {
		return !slices.ContainsFunc(s.NotAction, func(p string) bool { return wildcardFold(p, action) })
	}
	return slices.ContainsFunc(s.Action, func(p string) bool { return wildcardFold(p, action) })
}

// coversResource reports whether the statement's resources include arn.
func (s policyStatement) coversResource(arn string) bool {
	if len(s.NotResource) > 0 {
		return false // rare in resource policies; not credited
	}
	if len(s.Resource) == 0 {
		return true // resource policies may leave it out: the resource itself
	}
	return slices.ContainsFunc(s.Resource, func(p string) bool { return wildcardMatchIAM(p, arn) })
}

// forService reports whether the statement's principal includes the AWS
// service principal (e.g. events.amazonaws.com) or anyone.
func (s policyStatement) forService(service string) bool {
	if len(s.NotPrincipal) > 0 {
		return false
	}
	return s.Principal.Any || slices.ContainsFunc(s.Principal.Service, func(p string) bool { return strings.EqualFold(p, service) })
}

// wildcardFold is IAM's action matching: * and ? wildcards, case-insensitive.
func wildcardFold(pattern, s string) bool {
	return wildcardMatchIAM(strings.ToLower(pattern), strings.ToLower(s))
}

// wildcardMatchIAM matches s against an IAM pattern where * is any run of
// characters and ? one character.
func wildcardMatchIAM(pattern, s string) bool {
	p, x := 0, 0
	star, mark := -1, 0
	for x < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[x]):
			p++
			x++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, x
			p++
		case star >= 0:
			p = star + 1
			mark++
			x = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// conditionOp splits a condition operator into its base name (lower case),
// whether it ends in IfExists and its set qualifier (ForAnyValue…).
func conditionOp(op string) (base string, ifExists bool, qualifier string) {
	base = op
	if i := strings.LastIndex(base, ":"); i >= 0 {
		qualifier, base = strings.ToLower(base[:i]), base[i+1:]
	}
	if strings.HasSuffix(base, "IfExists") {
		base, ifExists = strings.TrimSuffix(base, "IfExists"), true
	}
	return strings.ToLower(base), ifExists, qualifier
}

// conditionValues decodes a condition's values as strings (bools and
// numbers as their JSON text).
func conditionValues(raw json.RawMessage) []string {
	var many []any
	if json.Unmarshal(raw, &many) != nil {
		var one any
		if json.Unmarshal(raw, &one) != nil {
			return nil
		}
		many = []any{one}
	}
	out := make([]string, 0, len(many))
	for _, v := range many {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		default:
			b, _ := json.Marshal(x)
			out = append(out, string(b))
		}
	}
	return out
}

// stringConditionHolds evaluates a positive string or ARN condition
// operator for one key whose value is known, the way IAM does:
// StringEquals/ArnEquals… compare exactly (ArnEquals and ArnLike both take
// wildcards, StringEquals does not), StringLike takes wildcards. ok is false
// for operators rootguard does not evaluate.
func stringConditionHolds(base string, values []string, actual string) (holds, ok bool) {
	switch base {
	case "stringequals":
		return slices.Contains(values, actual), true
	case "stringequalsignorecase":
		return slices.ContainsFunc(values, func(v string) bool { return strings.EqualFold(v, actual) }), true
	case "stringlike", "arnlike", "arnequals":
		return slices.ContainsFunc(values, func(v string) bool { return wildcardMatchIAM(v, actual) }), true
	case "stringnotequals":
		return !slices.Contains(values, actual), true
	case "stringnotlike", "arnnotlike", "arnnotequals":
		return !slices.ContainsFunc(values, func(v string) bool { return wildcardMatchIAM(v, actual) }), true
	}
	return false, false
}

// GrantsFullAccess reports whether a policy document allows every action on
// every resource without conditions ("*" on "*"), as AdministratorAccess does.
func GrantsFullAccess(document string) bool {
	doc, ok := parsePolicy(document)
	if !ok {
		return false
	}
	return slices.ContainsFunc(doc.Statement, func(s policyStatement) bool {
		return s.allow() && s.allActions() && s.allResources() && len(s.Condition) == 0
	})
}

// federationActions let a SAML or OIDC identity assume a role.
var federationActions = []string{"sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"}

// mfaConditionKeys only bite a caller without MFA: a Deny conditioned on
// them is the usual "force MFA" policy and does not limit an admin who
// signs in with MFA.
var mfaConditionKeys = []string{"aws:multifactorauthpresent", "aws:multifactorauthage"}

// PolicyDenials lists the Deny statements of an identity policy that can
// cut down full rights, by Sid (or a short description). Denies that only
// apply without MFA are left out.
func PolicyDenials(document string) []string {
	doc, ok := parsePolicy(document)
	if !ok {
		return nil
	}
	var out []string
	for i, s := range doc.Statement {
		if !s.deny() || onlyMFAConditions(s.Condition) {
			continue
		}
		name := s.Sid
		if name == "" {
			name = "statement " + itoa(i+1)
		}
		out = append(out, name)
	}
	return out
}

func onlyMFAConditions(cond map[string]map[string]json.RawMessage) bool {
	if len(cond) == 0 {
		return false
	}
	for _, keys := range cond {
		for k := range keys {
			if !slices.Contains(mfaConditionKeys, strings.ToLower(k)) {
				return false
			}
		}
	}
	return true
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// ServiceAccess is what a resource policy (a topic or key policy) lets an
// AWS service principal do.
type ServiceAccess struct {
	// Allowed: a statement allows every action needed and none denies one.
	Allowed bool
	// DeniedBy names the statement that denies the service ("" for none).
	DeniedBy string
	// Unsure names a statement whose conditions rootguard cannot evaluate,
	// which may allow or deny the service ("" for none).
	Unsure string
}

// TopicPolicyLetsEventBridgePublish evaluates a topic policy for
// EventBridge publishing from ruleARN to topicARN: events.amazonaws.com
// (or anyone) allowed sns:Publish on the topic, with conditions on
// aws:SourceArn and aws:SourceAccount that the rule satisfies, and no Deny.
func TopicPolicyLetsEventBridgePublish(policy, topicARN, ruleARN string) ServiceAccess {
	// EventBridge sets aws:SourceArn and aws:SourceAccount, never
	// aws:SourceOwner: the default topic policy (anyone, when the source
	// owner is this account) does not let it publish.
	known := map[string]string{"aws:sourcearn": ruleARN, "aws:sourceaccount": arnAccount(ruleARN), "aws:sourceowner": ""}
	return serviceAccess(policy, "events.amazonaws.com", []string{actionSNSPublish}, topicARN, known)
}

// actionSNSPublish is the action a topic policy grants EventBridge (an
// action resource policies grant, not one rootguard calls).
const actionSNSPublish = "sns:Publish"

// KeyPolicyLetsEventBridgeUse evaluates a KMS key policy for EventBridge
// publishing to an encrypted topic: events.amazonaws.com needs
// kms:GenerateDataKey and kms:Decrypt.
func KeyPolicyLetsEventBridgeUse(policy string) ServiceAccess {
	return serviceAccess(policy, "events.amazonaws.com", []string{"kms:GenerateDataKey", "kms:Decrypt"}, "*", nil)
}

func serviceAccess(policy, service string, actions []string, resource string, known map[string]string) ServiceAccess {
	doc, ok := parsePolicy(policy)
	if !ok {
		return ServiceAccess{}
	}
	var out ServiceAccess
	allowed := false
	for i, s := range doc.Statement {
		name := s.Sid
		if name == "" {
			name = "statement " + itoa(i+1)
		}
		if !s.forService(service) || !s.coversResource(resource) {
			continue
		}
		holds, sure := conditionsHold(s.Condition, known)
		switch {
		case s.allow():
			if !slicesAll(actions, s.coversAction) {
				continue
			}
			switch {
			case !sure:
				if out.Unsure == "" {
					out.Unsure = name
				}
			case holds:
				allowed = true
			}
		case s.deny():
			if !slices.ContainsFunc(actions, s.coversAction) {
				continue
			}
			switch {
			case !sure:
				if out.Unsure == "" {
					out.Unsure = name
				}
			case holds && out.DeniedBy == "":
				out.DeniedBy = name
			}
		}
	}
	out.Allowed = allowed && out.DeniedBy == ""
	return out
}

// conditionsHold evaluates conditions on the keys whose value is known;
// sure is false when a condition uses another key or operator.
func conditionsHold(cond map[string]map[string]json.RawMessage, known map[string]string) (holds, sure bool) {
	holds = true
	for op, keys := range cond {
		base, _, _ := conditionOp(op)
		for key, raw := range keys {
			actual, ok := known[strings.ToLower(key)]
			if !ok {
				return false, false
			}
			h, ok := stringConditionHolds(base, conditionValues(raw), actual)
			if !ok {
				return false, false
			}
			holds = holds && h
		}
	}
	return holds, true
}

func slicesAll(xs []string, f func(string) bool) bool {
	for _, x := range xs {
		if !f(x) {
			return false
		}
	}
	return true
}
