package awsops

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// The root-access-keys fix, when rootguard runs as root: root's own access
// keys with their last use, and the writes that deactivate and delete them.
// IAM's key calls without a user name act on the caller, so every method
// takes the caller's identity and refuses unless it is root; none touches
// the key the caller is signed in with.

// IAMRootKeysAPI is the part of the IAM client the root keys fix uses.
type IAMRootKeysAPI interface {
	ListAccessKeys(context.Context, *iam.ListAccessKeysInput, ...func(*iam.Options)) (*iam.ListAccessKeysOutput, error)
	GetAccessKeyLastUsed(context.Context, *iam.GetAccessKeyLastUsedInput, ...func(*iam.Options)) (*iam.GetAccessKeyLastUsedOutput, error)
	UpdateAccessKey(context.Context, *iam.UpdateAccessKeyInput, ...func(*iam.Options)) (*iam.UpdateAccessKeyOutput, error)
	DeleteAccessKey(context.Context, *iam.DeleteAccessKeyInput, ...func(*iam.Options)) (*iam.DeleteAccessKeyOutput, error)
}

// RootKeyDirectory lists the root user's access keys.
type RootKeyDirectory interface {
	// RootAccessKeys: iam ListAccessKeys without a user name (the caller's
	// keys) and GetAccessKeyLastUsed for each. ErrNotRoot unless caller
	// is the root user.
	RootAccessKeys(ctx context.Context, caller Identity) ([]AccessKey, error)
}

// RootKeyWriter deactivates and deletes root's access keys. Both refuse
// unless caller is root, and refuse the key caller is signed in with.
type RootKeyWriter interface {
	DeactivateRootAccessKey(ctx context.Context, caller Identity, keyID string) error
	DeleteRootAccessKey(ctx context.Context, caller Identity, keyID string) error
}

var (
	_ RootKeyDirectory = (*AWS)(nil)
	_ RootKeyWriter    = (*AWS)(nil)
)

// ErrKeyInUse is the error (errors.Is) of a write to the key the caller is
// signed in with: rootguard never touches it.
var ErrKeyInUse = errors.New("rootguard never deactivates or deletes the access key it runs on")

// accessKeyIDPattern is IAM's pattern for access key IDs.
var accessKeyIDPattern = regexp.MustCompile(`^[A-Z0-9]{16,128}$`)

// maxRootKeyPages bounds the listing (root has at most two keys).
const maxRootKeyPages = 5

// RootKeyGuard checks a write to root's key keyID: caller must be root and
// keyID must be a key ID other than the one caller is signed in with. The
// demo account uses it too.
func RootKeyGuard(permission string, caller Identity, keyID string) error {
	switch {
	case !caller.IsRoot:
		return &Error{Kind: KindOther, Permission: permission, Message: ErrNotRoot.Error() + ": run rootguard as the root user", Err: ErrNotRoot}
	case caller.AccessKeyID == "":
		return &Error{Kind: KindOther, Permission: permission, Message: "rootguard cannot tell which access key it runs on, so it touches none"}
	case !accessKeyIDPattern.MatchString(keyID):
		return &Error{Kind: KindOther, Permission: permission, Message: "not an access key ID: " + quoteShort(MaskKey(keyID))}
	case keyID == caller.AccessKeyID:
		return &Error{Kind: KindOther, Permission: permission, Message: ErrKeyInUse.Error() + " (" + MaskKey(keyID) + ")", Err: ErrKeyInUse}
	}
	return nil
}

func (a *AWS) RootAccessKeys(ctx context.Context, caller Identity) ([]AccessKey, error) {
	if !caller.IsRoot {
		return nil, &Error{Kind: KindOther, Permission: "iam:ListAccessKeys", Message: ErrNotRoot.Error() + ": run rootguard as the root user", Err: ErrNotRoot}
	}
	var keys []AccessKey
	p := iam.NewListAccessKeysPaginator(a.API.IAMRootKeys, &iam.ListAccessKeysInput{MaxItems: aws.Int32(100)})
	for page := 0; p.HasMorePages(); page++ {
		if page == maxRootKeyPages {
			return nil, &Error{Kind: KindOther, Permission: "iam:ListAccessKeys", Message: "AWS kept sending pages of access keys (root has at most two)"}
		}
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("iam:ListAccessKeys", err)
		}
		for _, m := range out.AccessKeyMetadata {
			k, err := accessKeyOf(m)
			if err != nil {
				return nil, err
			}
			keys = append(keys, k)
		}
	}
	for i := range keys {
		out, err := a.API.IAMRootKeys.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(keys[i].ID)})
		if err != nil {
			return nil, Wrap("iam:GetAccessKeyLastUsed", err)
		}
		if u := out.AccessKeyLastUsed; u != nil && u.LastUsedDate != nil {
			keys[i].LastUsed = u.LastUsedDate.UTC()
			keys[i].LastUsedService = notApplicable(aws.ToString(u.ServiceName))
			keys[i].LastUsedRegion = notApplicable(aws.ToString(u.Region))
		}
	}
	return keys, nil
}

func accessKeyOf(m iamtypes.AccessKeyMetadata) (AccessKey, error) {
	id := aws.ToString(m.AccessKeyId)
	if !accessKeyIDPattern.MatchString(id) {
		return AccessKey{}, &Error{Kind: KindOther, Permission: "iam:ListAccessKeys", Message: "AWS listed an access key without a valid ID"}
	}
	var active bool
	switch m.Status {
	case iamtypes.StatusTypeActive:
		active = true
	case iamtypes.StatusTypeInactive:
	default:
		return AccessKey{}, &Error{Kind: KindOther, Permission: "iam:ListAccessKeys",
			Message: "access key " + MaskKey(id) + " has an unknown status " + quoteShort(string(m.Status))}
	}
	k := AccessKey{ID: id, Active: active}
	if m.CreateDate != nil {
		k.CreatedAt = m.CreateDate.UTC()
	}
	return k, nil
}

// notApplicable turns IAM's "N/A" into "".
func notApplicable(s string) string {
	if strings.EqualFold(strings.TrimSpace(s), "N/A") {
		return ""
	}
	return s
}

func (a *AWS) DeactivateRootAccessKey(ctx context.Context, caller Identity, keyID string) error {
	if err := RootKeyGuard("iam:UpdateAccessKey", caller, keyID); err != nil {
		return err
	}
	_, err := a.API.IAMRootKeys.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: aws.String(keyID), Status: iamtypes.StatusTypeInactive})
	return Wrap("iam:UpdateAccessKey", err)
}

func (a *AWS) DeleteRootAccessKey(ctx context.Context, caller Identity, keyID string) error {
	if err := RootKeyGuard("iam:DeleteAccessKey", caller, keyID); err != nil {
		return err
	}
	_, err := a.API.IAMRootKeys.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(keyID)})
	return Wrap("iam:DeleteAccessKey", err)
}
