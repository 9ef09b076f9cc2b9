package awsops

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// CallerIdentity says who is calling: Caller and AccountAlias at once,
// waiting for both (a failure of the alias only sets AliasErr).
func (a *AWS) CallerIdentity(ctx context.Context) (Identity, error) {
	// The alias does not depend on the caller: read both at once.
	type aliasResult struct {
		alias string
		err   error
	}
	aliasCh := make(chan aliasResult, 1)
	go func() {
		alias, err := a.AccountAlias(ctx)
		aliasCh <- aliasResult{alias, err}
	}()
	id, err := a.Caller(ctx)
	ar := <-aliasCh // always wait: no request outlives the call
	if err != nil {
		return Identity{}, err
	}
	id.Alias, id.AliasErr = ar.alias, ar.err
	return id, nil
}

// Caller says who is calling (sts GetCallerIdentity and the kind of key in
// use), without the account alias.
func (a *AWS) Caller(ctx context.Context) (Identity, error) {
	out, err := a.API.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Identity{}, Wrap("sts:GetCallerIdentity", err)
	}
	id := Identity{
		Account: aws.ToString(out.Account),
		ARN:     aws.ToString(out.Arn),
		UserID:  aws.ToString(out.UserId),
	}
	if !isAccountID(id.Account) || !strings.HasPrefix(id.ARN, "arn:") {
		// Blank or malformed: an identity rootguard cannot judge by.
		return Identity{}, &Error{Kind: KindOther, Permission: "sts:GetCallerIdentity", Message: "AWS answered without an identity"}
	}
	id.Partition = arnPartition(id.ARN)
	id.IsRoot = isRootARN(id.ARN) && id.UserID == id.Account
	id.Credentials, id.AccessKeyID = CredentialsUnknown, ""
	if a.credentials != nil {
		// Cached by the call above, so this makes no extra request.
		if creds, err := a.credentials.Retrieve(ctx); err == nil {
			id.AccessKeyID = creds.AccessKeyID
			id.Credentials = credentialKind(creds.AccessKeyID)
		}
	}
	return id, nil
}

// AccountAlias is the account's alias (iam ListAccountAliases); "" when it
// has none.
func (a *AWS) AccountAlias(ctx context.Context) (string, error) {
	out, err := a.API.IAM.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})
	if err != nil {
		return "", Wrap("iam:ListAccountAliases", err)
	}
	if len(out.AccountAliases) == 0 {
		return "", nil
	}
	return out.AccountAliases[0], nil
}

// isAccountID: an AWS account ID is 12 digits.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isRootARN matches arn:<any partition>:iam::<account>:root.
func isRootARN(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[5] == "root"
}

func arnPartition(arn string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 3 || parts[0] != "arn" {
		return ""
	}
	return parts[1]
}

func credentialKind(accessKeyID string) CredentialKind {
	switch {
	case strings.HasPrefix(accessKeyID, "AKIA"):
		return CredentialsLongTerm
	case strings.HasPrefix(accessKeyID, "ASIA"):
		return CredentialsTemporary
	}
	return CredentialsUnknown
}

// AccountSummary is iam GetAccountSummary's map as AWS returned it.
func (a *AWS) AccountSummary(ctx context.Context) (AccountSummary, error) {
	out, err := a.API.IAM.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil {
		return nil, Wrap("iam:GetAccountSummary", err)
	}
	s := make(AccountSummary, len(out.SummaryMap))
	for k, v := range out.SummaryMap {
		s[k] = v
	}
	return s, nil
}
