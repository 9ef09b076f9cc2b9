package awsops_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

// The log bucket's reads over HTTP: S3's "none configured" errors read as
// none; an answer that only looks like a configuration is an error.

const (
	allPAB = `<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls>` +
		`<BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>`
	aesEncryption = `<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>` +
		`</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`
	denyHTTP = `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}`
)

func TestLogBucketReadsNoneAsNone(t *testing.T) {
	const region = "eu-west-1"
	bucket := awsops.LogBucketName(acct, region)
	a, reg := watchAWS(t, region)
	reg.Register(s3Request("HEAD", bucket, region, ""), awstest.XML(200, ""))
	reg.Register(s3Request("GET", bucket, region, "publicAccessBlock"),
		awstest.S3Error(404, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"))
	reg.Register(s3Request("GET", bucket, region, "encryption"),
		awstest.S3Error(404, "ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found"))
	reg.Register(s3Request("GET", bucket, region, "policy"), awstest.S3Error(404, "NoSuchBucketPolicy", "The bucket policy does not exist"))
	b, err := a.LogBucket(context.Background(), bucket)
	if err != nil || b == nil || b.PublicAccessBlock != nil || b.Encryption != "" || b.Policy != "" {
		t.Fatalf("LogBucket = %+v, %v; want the bucket with nothing configured", b, err)
	}
}

func TestLogBucketReadsItsSettings(t *testing.T) {
	const region = "eu-west-1"
	bucket := awsops.LogBucketName(acct, region)
	a, reg := watchAWS(t, region)
	reg.Register(s3Request("HEAD", bucket, region, ""), awstest.XML(200, ""))
	reg.Register(s3Request("GET", bucket, region, "publicAccessBlock"), awstest.XML(200, allPAB))
	reg.Register(s3Request("GET", bucket, region, "encryption"), awstest.XML(200, aesEncryption))
	reg.Register(s3Request("GET", bucket, region, "policy"), awstest.JSON(200, denyHTTP))
	b, err := a.LogBucket(context.Background(), bucket)
	if err != nil {
		t.Fatal(err)
	}
	want := awsops.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true}
	if b.PublicAccessBlock == nil || *b.PublicAccessBlock != want || b.Encryption != "AES256" || b.Policy != denyHTTP {
		t.Fatalf("LogBucket = %+v (%+v)", b, b.PublicAccessBlock)
	}
}

func TestLogBucketRefusesWhatIsNotAConfiguration(t *testing.T) {
	const region = "eu-west-1"
	bucket := awsops.LogBucketName(acct, region)
	for _, tc := range []struct {
		name, pab, encryption, policy, want string
	}{
		{"three of four settings", `<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls>` +
			`<BlockPublicPolicy>true</BlockPublicPolicy></PublicAccessBlockConfiguration>`, "", "", "s3:GetBucketPublicAccessBlock: AWS answered the bucket's Block Public Access without its four settings"},
		{"a rule without an algorithm", allPAB, `<ServerSideEncryptionConfiguration><Rule><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`,
			"", "s3:GetEncryptionConfiguration: AWS answered the bucket's default encryption without an algorithm"},
		{"a rule that is text", allPAB, `<ServerSideEncryptionConfiguration><Rule>AES256</Rule></ServerSideEncryptionConfiguration>`,
			"", "without an algorithm"},
		{"a policy cut off", allPAB, aesEncryption, denyHTTP[:len(denyHTTP)/2], "s3:GetBucketPolicy: AWS answered the bucket's policy with something that is not a JSON object"},
		{"a policy in XML", allPAB, aesEncryption, `<Policy>{}</Policy>`, "not a JSON object"},
		{"a policy without statements", allPAB, aesEncryption, `{"Version":"2012-10-17"}`, "without a Statement object or list"},
		{"an empty statement list", allPAB, aesEncryption, `{"Version":"2012-10-17","Statement":[]}`, "without a Statement"},
		{"a statement that is text", allPAB, aesEncryption, `{"Statement":"Allow"}`, "without a Statement"},
		{"a null statement", allPAB, aesEncryption, `{"Statement":[null]}`, "without a Statement"},
		{"a list, not an object", allPAB, aesEncryption, `[` + denyHTTP + `]`, "not a JSON object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, reg := watchAWS(t, region)
			reg.Register(s3Request("HEAD", bucket, region, ""), awstest.XML(200, ""))
			reg.Register(s3Request("GET", bucket, region, "publicAccessBlock"), awstest.XML(200, tc.pab))
			if tc.encryption != "" {
				reg.Register(s3Request("GET", bucket, region, "encryption"), awstest.XML(200, tc.encryption))
			}
			if tc.policy != "" {
				reg.Register(s3Request("GET", bucket, region, "policy"), awstest.JSON(200, tc.policy))
			}
			b, err := a.LogBucket(context.Background(), bucket)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("LogBucket = %+v, %v; want an error saying %q", b, err, tc.want)
			}
		})
	}
}

func TestLogBucketPolicyIsCapped(t *testing.T) {
	const region = "eu-west-1"
	bucket := awsops.LogBucketName(acct, region)
	a, reg := watchAWS(t, region)
	reg.Register(s3Request("HEAD", bucket, region, ""), awstest.XML(200, ""))
	reg.Register(s3Request("GET", bucket, region, "publicAccessBlock"), awstest.XML(200, allPAB))
	reg.Register(s3Request("GET", bucket, region, "encryption"), awstest.XML(200, aesEncryption))
	big := `{"Statement":{"Sid":"` + strings.Repeat("a", awsops.MaxBucketPolicyBytes) + `"}}`
	reg.Register(s3Request("GET", bucket, region, "policy"), awstest.JSON(200, big))
	b, err := a.LogBucket(context.Background(), bucket)
	if err == nil || !strings.Contains(err.Error(), "AWS sent more than 64 KB for S3 GetBucketPolicy") {
		t.Fatalf("LogBucket = %+v, %v", b, err)
	}
}
