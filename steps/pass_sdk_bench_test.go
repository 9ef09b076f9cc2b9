package steps_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/steps"
)

// simulatedRoundTrip is the fixed network latency of every AWS call.
const simulatedRoundTrip = 100 * time.Millisecond

// passChainCalls is the longest chain of dependent calls in a pass over the
// simulated account, read off the awsops code for this data:
//
//	sts GetCallerIdentity ∥ iam ListAccountAliases (identity, 1)
//	→ budgets DescribeBudgets → DescribeNotificationsForBudget
//	→ DescribeSubscribersForNotification, every notification at once
//
// = 4, tied with events ListRules → ListTargetsByRule → sns
// GetTopicAttributes (∥ ListSubscriptionsByTopic) → kms DescribeKey ∥
// GetKeyPolicy, and with DescribeOrganization → ListAccounts → ListParents
// (account) → ListParents (OU). Others: SCPs 3 (DescribeOrganization →
// ListPolicies → DescribePolicy ∥ ListTargetsForPolicy), GuardDuty 3
// (ListRegions → ListDetectors → GetDetector per region, all regions at
// once), the report 2 (GetCredentialReport ∥ ListUsers → the new user's
// login profile ∥ MFA ∥ keys; 4 when generated), admin users 2 (authorization
// details → login profile ∥ MFA), trails 2 (DescribeTrails → status ∥
// selectors), sign-in history 1 (LookupEvents).
const passChainCalls = 4

// BenchmarkFullPassSDK runs every check through the real awsops backend and
// SDK clients against a simulated AWS that answers every request with a
// wire-format body after simulatedRoundTrip. A pass should cost about its
// longest chain (passChainCalls round trips), not the sum of its requests.
func BenchmarkFullPassSDK(b *testing.B) {
	for _, tc := range []struct {
		name        string
		reportReady bool
	}{
		{"fresh-report", true},
		{"generate-report", false}, // ReportNotPresent → Generate → ready
	} {
		b.Run(tc.name, func(b *testing.B) {
			requests := 0
			for b.Loop() {
				sim := &simulatedAWS{delay: simulatedRoundTrip, reportReady: tc.reportReady}
				acct := awsops.New(sim.config())
				acct.ReportPoll = awsops.Backoff{}
				outs := steps.Run(context.Background(), steps.NewFacts(acct, steps.FactsOptions{}), steps.All(), nil)

				n, unmatched := sim.stats()
				if len(unmatched) > 0 {
					b.Fatalf("requests with no simulated answer:\n  %s", strings.Join(unmatched, "\n  "))
				}
				for _, o := range outs {
					if o.Result.Status == steps.StatusUnknown {
						b.Fatalf("%s came back unknown: %s (%v)", o.Item.ID, o.Result.Summary, o.Result.Err)
					}
				}
				requests += n
			}
			perOp := float64(requests) / float64(b.N)
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
			b.ReportMetric(perOp, "requests/op")
			b.ReportMetric(perOp*float64(simulatedRoundTrip.Milliseconds()), "sequential-ms/op")
			b.ReportMetric(passChainCalls, "chain-calls")
		})
	}
}

// simulatedAWS is an http.RoundTripper answering every request of a pass
// over a well-kept management account from canned wire-format bodies.
type simulatedAWS struct {
	delay time.Duration

	mu          sync.Mutex
	reportReady bool // false until GenerateCredentialReport is called
	requests    int
	unmatched   []string
}

// Account data of the simulated account.
const (
	simAccount = "111122223333"
	simTopic   = "arn:aws:sns:us-east-1:111122223333:rootguard-alerts"
	simTrail   = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/main"
	simKey     = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

// config is an SDK config like awsops.Load builds (adaptive retries, five
// attempts) with SSO-style temporary credentials and s as the network.
func (s *simulatedAWS) config() aws.Config {
	return aws.Config{
		Region:           awstest.Region,
		Credentials:      credentials.NewStaticCredentialsProvider("ASIAIOSFODNN7EXAMPLE", "secret", "session-token"),
		HTTPClient:       &http.Client{Transport: s},
		RetryMode:        aws.RetryModeAdaptive,
		RetryMaxAttempts: 5,
	}
}

func (s *simulatedAWS) stats() (requests int, unmatched []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests, append([]string(nil), s.unmatched...)
}

// RoundTrip waits the simulated latency, then answers from the route table.
func (s *simulatedAWS) RoundTrip(hr *http.Request) (*http.Response, error) {
	req := &awstest.Request{Method: hr.Method, Host: hr.URL.Host, Path: hr.URL.Path, Header: hr.Header.Clone()}
	if hr.Body != nil {
		body, err := io.ReadAll(hr.Body)
		hr.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = body
	}
	t := time.NewTimer(s.delay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-hr.Context().Done():
		return nil, hr.Context().Err()
	}

	key := routeKey(req)
	s.mu.Lock()
	s.requests++
	respond := s.route(key)
	if respond == nil {
		s.unmatched = append(s.unmatched, key+" (host "+req.Host+")")
	}
	s.mu.Unlock()
	if respond == nil {
		return nil, fmt.Errorf("simulated AWS: no answer for %s", key)
	}
	resp, err := respond(req)
	if err != nil {
		return nil, err
	}
	resp.Request = hr
	return resp, nil
}

// routeKey is the request's operation plus the one parameter that selects
// the answer: the IAM user name, the contact type or the SCP ID.
func routeKey(r *awstest.Request) string {
	key := r.Operation()
	if user := r.Form().Get("UserName"); user != "" {
		return key + " " + user
	}
	var body struct{ AlternateContactType, PolicyId, ChildId string }
	if r.Header.Get("Content-Type") != "" && r.JSON(&body) == nil {
		for _, v := range []string{body.AlternateContactType, body.PolicyId, body.ChildId} {
			if v != "" {
				return key + " " + v
			}
		}
	}
	return key
}

// route picks the answer; s.mu is held. The credential report is the one
// stateful answer: absent until generated when the pass starts without one.
func (s *simulatedAWS) route(key string) awstest.Responder {
	switch key {
	case "query GetCredentialReport":
		if !s.reportReady {
			return awstest.AWSError(410, "ReportNotPresent", "Credential report not present.")
		}
		return func(r *awstest.Request) (*http.Response, error) {
			return awstest.QueryResult(credentialReportXML(time.Now()))(r)
		}
	case "query GenerateCredentialReport":
		s.reportReady = true
		return awstest.QueryResult("<State>STARTED</State><Description>No report exists. Starting a new report generation task</Description>")
	case "query ListUsers":
		return func(r *awstest.Request) (*http.Response, error) {
			return awstest.QueryResult(listUsersXML(time.Now()))(r)
		}
	case "json CloudTrail_20131101.LookupEvents":
		return func(r *awstest.Request) (*http.Response, error) {
			return awstest.JSONValue(lookupEvents(time.Now()))(r)
		}
	}
	return simulatedAnswers[key]
}

// credentialReportXML is a report generated an hour before now: root signed
// in 30 days ago and has MFA and no keys; alice and bob are console admins
// with MFA, alice with one recently rotated key.
func credentialReportXML(now time.Time) string {
	at := func(days int) string {
		return now.Add(-time.Duration(days) * 24 * time.Hour).UTC().Format("2006-01-02T15:04:05+00:00")
	}
	csv := "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation," +
		"mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region," +
		"access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date," +
		"access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n" +
		"<root_account>,arn:aws:iam::" + simAccount + ":root," + at(900) + ",not_supported," + at(30) + ",not_supported,not_supported," +
		"true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n" +
		"alice,arn:aws:iam::" + simAccount + ":user/alice," + at(400) + ",true," + at(1) + "," + at(60) + ",N/A," +
		"true,true," + at(10) + "," + at(1) + ",eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n" +
		"bob,arn:aws:iam::" + simAccount + ":user/bob," + at(200) + ",true," + at(3) + "," + at(50) + ",N/A," +
		"true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
	return "<Content>" + base64.StdEncoding.EncodeToString([]byte(csv)) + "</Content><ReportFormat>text/csv</ReportFormat>" +
		"<GeneratedTime>" + now.Add(-time.Hour).UTC().Format(time.RFC3339) + "</GeneratedTime>"
}

// listUsersXML lists alice and bob, who are in the report, and carol, a
// console user with MFA created ten minutes ago: after the report, so she
// is read live.
func listUsersXML(now time.Time) string {
	user := func(name string, created time.Time) string {
		return "<member><Path>/</Path><UserName>" + name + "</UserName><UserId>AIDAEXAMPLE" + strings.ToUpper(name) + "</UserId>" +
			"<Arn>arn:aws:iam::" + simAccount + ":user/" + name + "</Arn><CreateDate>" + created.UTC().Format(time.RFC3339) + "</CreateDate></member>"
	}
	return "<Users>" + user("alice", now.Add(-400*24*time.Hour)) + user("bob", now.Add(-200*24*time.Hour)) +
		user("carol", now.Add(-10*time.Minute)) + "</Users><IsTruncated>false</IsTruncated>"
}

// lookupEvents is the root user's one console sign-in of the last 90
// days: 30 days ago, with MFA.
func lookupEvents(now time.Time) map[string]any {
	at := now.Add(-30 * 24 * time.Hour).UTC().Format(time.RFC3339)
	event := `{"eventVersion":"1.08","userIdentity":{"type":"Root","principalId":"` + simAccount + `","arn":"arn:aws:iam::` + simAccount + `:root","accountId":"` + simAccount + `"},` +
		`"eventTime":"` + at + `","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7",` +
		`"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"Yes","MobileVersion":"No"},"eventType":"AwsConsoleSignIn"}`
	return map[string]any{"Events": []map[string]any{{"EventId": "0a1b2c3d", "EventName": "ConsoleLogin", "EventSource": "signin.amazonaws.com",
		"Username": "root", "CloudTrailEvent": event}}}
}

// simulatedAnswers are the stateless answers by routeKey: a well-kept
// management account of its own organization, called by an SSO admin role.
var simulatedAnswers = map[string]awstest.Responder{
	// STS and IAM (awsQuery)
	"query GetCallerIdentity": awstest.QueryResult("<Arn>arn:aws:sts::" + simAccount + ":assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice</Arn>" +
		"<UserId>AROAEXAMPLEID:alice</UserId><Account>" + simAccount + "</Account>"),
	"query ListAccountAliases": awstest.QueryResult("<AccountAliases><member>example-prod</member></AccountAliases><IsTruncated>false</IsTruncated>"),
	"query GetAccountSummary": awstest.QueryResult("<SummaryMap>" +
		"<entry><key>AccountMFAEnabled</key><value>1</value></entry><entry><key>AccountAccessKeysPresent</key><value>0</value></entry>" +
		"<entry><key>AccountSigningCertificatesPresent</key><value>0</value></entry><entry><key>AccountPasswordPresent</key><value>1</value></entry>" +
		"<entry><key>MFADevicesInUse</key><value>3</value></entry><entry><key>Users</key><value>2</value></entry>" +
		"<entry><key>Groups</key><value>1</value></entry><entry><key>Roles</key><value>14</value></entry></SummaryMap>"),
	"query GetAccountPasswordPolicy": awstest.QueryResult("<PasswordPolicy><MinimumPasswordLength>14</MinimumPasswordLength>" +
		"<RequireSymbols>true</RequireSymbols><RequireNumbers>true</RequireNumbers><RequireUppercaseCharacters>true</RequireUppercaseCharacters>" +
		"<RequireLowercaseCharacters>true</RequireLowercaseCharacters><AllowUsersToChangePassword>true</AllowUsersToChangePassword>" +
		"<ExpirePasswords>false</ExpirePasswords><PasswordReusePrevention>24</PasswordReusePrevention></PasswordPolicy>"),
	"query ListVirtualMFADevices": awstest.QueryResult("<VirtualMFADevices><member><SerialNumber>arn:aws:iam::" + simAccount + ":mfa/bob</SerialNumber>" +
		"<User><UserName>bob</UserName><Arn>arn:aws:iam::" + simAccount + ":user/bob</Arn></User><EnableDate>2026-01-02T03:04:05Z</EnableDate></member>" +
		"</VirtualMFADevices><IsTruncated>false</IsTruncated>"),
	"query GetAccountAuthorizationDetails": awstest.QueryResult("<UserDetailList>" +
		"<member><UserName>alice</UserName><Arn>arn:aws:iam::" + simAccount + ":user/alice</Arn><GroupList><member>Administrators</member></GroupList><AttachedManagedPolicies/></member>" +
		"<member><UserName>bob</UserName><Arn>arn:aws:iam::" + simAccount + ":user/bob</Arn><GroupList/><AttachedManagedPolicies><member>" +
		"<PolicyName>AdministratorAccess</PolicyName><PolicyArn>arn:aws:iam::aws:policy/AdministratorAccess</PolicyArn></member></AttachedManagedPolicies></member>" +
		"</UserDetailList><GroupDetailList><member><GroupName>Administrators</GroupName><AttachedManagedPolicies><member>" +
		"<PolicyName>AdministratorAccess</PolicyName><PolicyArn>arn:aws:iam::aws:policy/AdministratorAccess</PolicyArn></member></AttachedManagedPolicies></member>" +
		"</GroupDetailList><IsTruncated>false</IsTruncated>"),
	"query GetLoginProfile alice": loginProfile("alice"),
	"query GetLoginProfile bob":   loginProfile("bob"),
	"query ListMFADevices alice": awstest.QueryResult("<MFADevices><member><UserName>alice</UserName>" +
		"<SerialNumber>arn:aws:iam::" + simAccount + ":u2f/user/alice/yubikey-ABCDEF</SerialNumber><EnableDate>2025-06-01T00:00:00Z</EnableDate></member>" +
		"</MFADevices><IsTruncated>false</IsTruncated>"),
	"query ListMFADevices bob": awstest.QueryResult("<MFADevices><member><UserName>bob</UserName>" +
		"<SerialNumber>arn:aws:iam::" + simAccount + ":mfa/bob</SerialNumber><EnableDate>2026-01-02T03:04:05Z</EnableDate></member>" +
		"</MFADevices><IsTruncated>false</IsTruncated>"),
	"query GetLoginProfile carol": loginProfile("carol"),
	"query ListMFADevices carol": awstest.QueryResult("<MFADevices><member><UserName>carol</UserName>" +
		"<SerialNumber>arn:aws:iam::" + simAccount + ":u2f/user/carol/key-CAROL1</SerialNumber><EnableDate>2026-11-20T00:00:00Z</EnableDate></member>" +
		"</MFADevices><IsTruncated>false</IsTruncated>"),
	"query ListAccessKeys carol":       awstest.QueryResult("<AccessKeyMetadata/><IsTruncated>false</IsTruncated>"),
	"query ListSAMLProviders":          awstest.QueryResult("<SAMLProviderList/>"),
	"query ListOpenIDConnectProviders": awstest.QueryResult("<OpenIDConnectProviderList/>"),
	"query ListOrganizationsFeatures": awstest.QueryResult("<OrganizationId>o-abc123</OrganizationId>" +
		"<EnabledFeatures><member>RootCredentialsManagement</member><member>RootSessions</member></EnabledFeatures>"),

	// SNS (awsQuery, us-east-1)
	"query ListSubscriptionsByTopic": awstest.QueryResult("<Subscriptions><member><TopicArn>" + simTopic + "</TopicArn>" +
		"<Protocol>email</Protocol><SubscriptionArn>" + simTopic + ":0b1c2d3e-aaaa-bbbb-cccc-000000000000</SubscriptionArn>" +
		"<Owner>" + simAccount + "</Owner><Endpoint>security@example.com</Endpoint></member></Subscriptions>"),

	// Account Management (restJson)
	"rest POST /getAlternateContact SECURITY":   alternateContact("SECURITY", "Sec Team", "Security", "security@example.com"),
	"rest POST /getAlternateContact BILLING":    alternateContact("BILLING", "Ann Billing", "Finance", "billing@example.com"),
	"rest POST /getAlternateContact OPERATIONS": alternateContact("OPERATIONS", "Ops Team", "Operations", "ops@example.com"),
	"rest POST /getContactInformation": awstest.JSON(200, `{"ContactInformation":{"FullName":"Example Ltd","AddressLine1":"1 Main St",
		"City":"Springfield","StateOrRegion":"IL","PostalCode":"62701","CountryCode":"US","PhoneNumber":"+15550199"}}`),

	// SNS topic attributes: EventBridge may publish; encrypted with a
	// customer key EventBridge may use (KMS, awsJson).
	"query GetTopicAttributes": awstest.QueryResult("<Attributes>" +
		"<entry><key>Policy</key><value>" + html.EscapeString(`{"Version":"2012-10-17","Statement":[{"Sid":"PublishEventsToMyTopic","Effect":"Allow",`+
		`"Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"`+simTopic+`"}]}`) + "</value></entry>" +
		"<entry><key>KmsMasterKeyId</key><value>" + simKey + "</value></entry><entry><key>TopicArn</key><value>" + simTopic + "</value></entry></Attributes>"),
	"json TrentService.DescribeKey": awstest.JSON(200, `{"KeyMetadata":{"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","Arn":"`+simKey+`",
		"KeyManager":"CUSTOMER","KeyState":"Enabled","Enabled":true}}`),
	"json TrentService.GetKeyPolicy": awstest.JSONValue(map[string]any{"PolicyName": "default", "Policy": `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + simAccount + `:root"},"Action":"kms:*","Resource":"*"},` +
		`{"Sid":"EventBridge","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*"}]}`}),

	// Organizations (awsJson): FullAWSAccess plus a root-deny SCP on the root
	"json AWSOrganizationsV20161128.DescribeOrganization": awstest.JSON(200, `{"Organization":{"Id":"o-abc123",
		"Arn":"arn:aws:organizations::`+simAccount+`:organization/o-abc123","FeatureSet":"ALL",
		"MasterAccountArn":"arn:aws:organizations::`+simAccount+`:account/o-abc123/`+simAccount+`",
		"MasterAccountId":"`+simAccount+`","MasterAccountEmail":"aws-root@example.com"}}`),
	"json AWSOrganizationsV20161128.ListPolicies": awstest.JSON(200, `{"Policies":[
		{"Id":"p-FullAWSAccess","Arn":"arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess","Name":"FullAWSAccess","Type":"SERVICE_CONTROL_POLICY","AwsManaged":true},
		{"Id":"p-denyroot1","Arn":"arn:aws:organizations::`+simAccount+`:policy/o-abc123/service_control_policy/p-denyroot1","Name":"DenyRootUser","Type":"SERVICE_CONTROL_POLICY","AwsManaged":false}]}`),
	"json AWSOrganizationsV20161128.DescribePolicy p-denyroot1": awstest.JSONValue(map[string]any{"Policy": map[string]any{
		"PolicySummary": map[string]any{"Id": "p-denyroot1", "Name": "DenyRootUser", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": false},
		"Content": `{"Version":"2012-10-17","Statement":[{"Sid":"DenyRoot","Effect":"Deny","Action":"*","Resource":"*",` +
			`"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"Null":{"aws:AssumedRoot":"true"}}}]}`,
	}}),
	"json AWSOrganizationsV20161128.ListTargetsForPolicy p-denyroot1": awstest.JSON(200,
		`{"Targets":[{"TargetId":"r-ab12","Arn":"arn:aws:organizations::`+simAccount+`:root/o-abc123/r-ab12","Name":"Root","Type":"ROOT"}]}`),
	"json AWSOrganizationsV20161128.ListAccounts": awstest.JSON(200, `{"Accounts":[
		{"Id":"`+simAccount+`","Name":"management","State":"ACTIVE"},
		{"Id":"444455556666","Name":"prod","State":"ACTIVE"},{"Id":"555566667777","Name":"dev","State":"ACTIVE"}]}`),
	"json AWSOrganizationsV20161128.ListParents " + simAccount:     awstest.JSON(200, `{"Parents":[{"Id":"r-ab12","Type":"ROOT"}]}`),
	"json AWSOrganizationsV20161128.ListParents 444455556666":      awstest.JSON(200, `{"Parents":[{"Id":"ou-ab12-workloads","Type":"ORGANIZATIONAL_UNIT"}]}`),
	"json AWSOrganizationsV20161128.ListParents 555566667777":      awstest.JSON(200, `{"Parents":[{"Id":"ou-ab12-workloads","Type":"ORGANIZATIONAL_UNIT"}]}`),
	"json AWSOrganizationsV20161128.ListParents ou-ab12-workloads": awstest.JSON(200, `{"Parents":[{"Id":"r-ab12","Type":"ROOT"}]}`),

	// EventBridge (awsJson, us-east-1)
	"json AWSEvents.ListRules": awstest.JSONValue(map[string]any{"Rules": []map[string]any{
		{"Name": "rootguard-root-signin", "State": "ENABLED", "EventBusName": "default",
			"Arn": "arn:aws:events:us-east-1:" + simAccount + ":rule/rootguard-root-signin",
			"EventPattern": `{"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"],` +
				`"detail":{"eventName":["ConsoleLogin"],"userIdentity":{"type":["Root"]}}}`},
		{"Name": "nightly-cleanup", "State": "ENABLED", "EventBusName": "default", "ScheduleExpression": "rate(1 day)"},
	}}),
	"json AWSEvents.ListTargetsByRule": awstest.JSON(200, `{"Targets":[{"Id":"email","Arn":"`+simTopic+`"}]}`),

	// CloudTrail, GuardDuty, Budgets, Identity Center, Security Hub, Config
	"json CloudTrail_20131101.DescribeTrails": awstest.JSON(200, `{"trailList":[{"Name":"main","TrailARN":"`+simTrail+`",
		"S3BucketName":"example-cloudtrail-logs","HomeRegion":"eu-west-1","IsMultiRegionTrail":true,"IsOrganizationTrail":false,
		"IncludeGlobalServiceEvents":true,"LogFileValidationEnabled":true,"HasCustomEventSelectors":false}]}`),
	"json CloudTrail_20131101.GetTrailStatus": awstest.JSON(200, `{"IsLogging":true,"LatestDeliveryTime":1.7636e9,"StartLoggingTime":1.7e9}`),
	"json CloudTrail_20131101.GetEventSelectors": awstest.JSON(200, `{"TrailARN":"`+simTrail+`",
		"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true,"DataResources":[]}]}`),
	"rest GET /detector": awstest.JSON(200, `{"detectorIds":["12abc34d567e8fa901bc2d34e56789f0"]}`),
	"rest GET /detector/12abc34d567e8fa901bc2d34e56789f0": awstest.JSON(200,
		`{"status":"ENABLED","serviceRole":"arn:aws:iam::`+simAccount+`:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty",
		"findingPublishingFrequency":"SIX_HOURS","createdAt":"2025-01-01T00:00:00.000Z","updatedAt":"2025-01-01T00:00:00.000Z"}`),
	"json AWSBudgetServiceGateway.DescribeBudgets": awstest.JSON(200, `{"Budgets":[{"BudgetName":"monthly-total","BudgetType":"COST",
		"TimeUnit":"MONTHLY","BudgetLimit":{"Amount":"20.0","Unit":"USD"}}]}`),
	"json AWSBudgetServiceGateway.DescribeNotificationsForBudget": awstest.JSON(200, `{"Notifications":[
		{"NotificationType":"ACTUAL","ComparisonOperator":"GREATER_THAN","Threshold":80,"ThresholdType":"PERCENTAGE"},
		{"NotificationType":"FORECASTED","ComparisonOperator":"GREATER_THAN","Threshold":100,"ThresholdType":"PERCENTAGE"}]}`),
	"json AWSBudgetServiceGateway.DescribeSubscribersForNotification": awstest.JSON(200,
		`{"Subscribers":[{"SubscriptionType":"EMAIL","Address":"billing@example.com"}]}`),
	"json SWBExternalService.ListInstances": awstest.JSON(200, `{"Instances":[]}`), // in every region
	"rest POST /listRegions": awstest.JSON(200, `{"Regions":[{"RegionName":"eu-west-1","RegionOptStatus":"ENABLED_BY_DEFAULT"},
		{"RegionName":"us-east-1","RegionOptStatus":"ENABLED_BY_DEFAULT"},{"RegionName":"eu-central-1","RegionOptStatus":"ENABLED_BY_DEFAULT"}]}`),
	"rest GET /accounts": awstest.JSON(200, `{"HubArn":"arn:aws:securityhub:eu-west-1:`+simAccount+`:hub/default",
		"SubscribedAt":"2025-03-01T12:00:00.000Z","AutoEnableControls":true}`),
	"json StarlingDoveService.DescribeConfigurationRecorders": awstest.JSON(200,
		`{"ConfigurationRecorders":[{"name":"default","roleARN":"arn:aws:iam::`+simAccount+`:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"}]}`),
	"json StarlingDoveService.DescribeConfigurationRecorderStatus": awstest.JSON(200,
		`{"ConfigurationRecordersStatus":[{"name":"default","recording":true,"lastStatus":"SUCCESS"}]}`),
}

func loginProfile(user string) awstest.Responder {
	return awstest.QueryResult("<LoginProfile><UserName>" + user + "</UserName><CreateDate>2025-01-01T00:00:00Z</CreateDate>" +
		"<PasswordResetRequired>false</PasswordResetRequired></LoginProfile>")
}

func alternateContact(kind, name, title, email string) awstest.Responder {
	return awstest.JSON(200, fmt.Sprintf(`{"AlternateContact":{"AlternateContactType":%q,"Name":%q,"Title":%q,"EmailAddress":%q,"PhoneNumber":"+1 555 0100"}}`,
		kind, name, title, email))
}
