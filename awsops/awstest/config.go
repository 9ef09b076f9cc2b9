package awstest

import (
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Fake credentials used by Config. The key ID is AWS's documented example.
const (
	AccessKeyID     = "AKIAIOSFODNN7EXAMPLE"
	SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	Region          = "eu-west-1"
)

// Config returns an SDK config whose every request goes to reg: static
// credentials, region eu-west-1 and no retries.
func Config(reg *Registry) aws.Config {
	return aws.Config{
		Region:      Region,
		Credentials: credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
		HTTPClient:  &http.Client{Transport: reg},
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
}
