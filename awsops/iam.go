package awsops

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// PasswordPolicy returns the account password policy, nil when none is set.
func (a *AWS) PasswordPolicy(ctx context.Context) (*PasswordPolicy, error) {
	out, err := a.API.IAM.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	if isNoSuchEntity(err) {
		return nil, nil
	}
	if err != nil {
		return nil, Wrap("iam:GetAccountPasswordPolicy", err)
	}
	p := out.PasswordPolicy
	if p == nil {
		return nil, nil
	}
	return &PasswordPolicy{
		MinimumLength:      int(aws.ToInt32(p.MinimumPasswordLength)),
		RequireUppercase:   p.RequireUppercaseCharacters,
		RequireLowercase:   p.RequireLowercaseCharacters,
		RequireNumbers:     p.RequireNumbers,
		RequireSymbols:     p.RequireSymbols,
		AllowUsersToChange: p.AllowUsersToChangePassword,
		MaxAgeDays:         int(aws.ToInt32(p.MaxPasswordAge)),
		ReusePrevention:    int(aws.ToInt32(p.PasswordReusePrevention)),
		HardExpiry:         aws.ToBool(p.HardExpiry),
	}, nil
}

// UpdatePasswordPolicy replaces the account password policy.
func (a *AWS) UpdatePasswordPolicy(ctx context.Context, p PasswordPolicy) error {
	// UpdateAccountPasswordPolicy has no partial update: every field left
	// out is reset to its default. So every field is always sent. The two
	// exceptions are MaxPasswordAge and PasswordReusePrevention, whose "off"
	// value 0 is invalid on the wire (ranges 1–1095 and 1–24): omitting them
	// is how "off" is expressed.
	in := &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength:      aws.Int32(int32(p.MinimumLength)),
		RequireUppercaseCharacters: p.RequireUppercase,
		RequireLowercaseCharacters: p.RequireLowercase,
		RequireNumbers:             p.RequireNumbers,
		RequireSymbols:             p.RequireSymbols,
		AllowUsersToChangePassword: p.AllowUsersToChange,
		HardExpiry:                 aws.Bool(p.HardExpiry),
	}
	if p.MaxAgeDays > 0 {
		in.MaxPasswordAge = aws.Int32(int32(p.MaxAgeDays))
	}
	if p.ReusePrevention > 0 {
		in.PasswordReusePrevention = aws.Int32(int32(p.ReusePrevention))
	}
	_, err := a.API.IAM.UpdateAccountPasswordPolicy(ctx, in)
	return Wrap("iam:UpdateAccountPasswordPolicy", err)
}

// VirtualMFADevices lists the assigned virtual MFA devices.
func (a *AWS) VirtualMFADevices(ctx context.Context) ([]VirtualMFADevice, error) {
	var devices []VirtualMFADevice
	p := iam.NewListVirtualMFADevicesPaginator(a.API.IAM, &iam.ListVirtualMFADevicesInput{
		AssignmentStatus: iamtypes.AssignmentStatusTypeAssigned, MaxItems: aws.Int32(1000),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("iam:ListVirtualMFADevices", err)
		}
		for _, d := range page.VirtualMFADevices {
			dev := VirtualMFADevice{SerialNumber: aws.ToString(d.SerialNumber), EnabledAt: aws.ToTime(d.EnableDate)}
			if d.User != nil {
				dev.UserARN, dev.UserName = aws.ToString(d.User.Arn), aws.ToString(d.User.UserName)
			}
			devices = append(devices, dev)
		}
	}
	return devices, nil
}

// CallerMFADevices lists the caller's own MFA devices (no user name given).
func (a *AWS) CallerMFADevices(ctx context.Context) ([]MFADevice, error) {
	return a.mfaDevices(ctx, "")
}

func (a *AWS) mfaDevices(ctx context.Context, user string) ([]MFADevice, error) {
	in := &iam.ListMFADevicesInput{MaxItems: aws.Int32(1000)}
	if user != "" {
		in.UserName = aws.String(user)
	}
	var devices []MFADevice
	p := iam.NewListMFADevicesPaginator(a.API.IAM, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("iam:ListMFADevices", err)
		}
		for _, d := range page.MFADevices {
			devices = append(devices, MFADevice{SerialNumber: aws.ToString(d.SerialNumber), EnabledAt: aws.ToTime(d.EnableDate)})
		}
	}
	return devices, nil
}

// OrganizationsRootFeatures lists the centralized root access features
// enabled for the organization (RootCredentialsManagement, RootSessions).
func (a *AWS) OrganizationsRootFeatures(ctx context.Context) ([]string, error) {
	out, err := a.API.IAM.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	if err != nil {
		return nil, Wrap("iam:ListOrganizationsFeatures", err)
	}
	features := make([]string, 0, len(out.EnabledFeatures))
	for _, f := range out.EnabledFeatures {
		features = append(features, string(f))
	}
	return features, nil
}

func isNoSuchEntity(err error) bool {
	var nse *iamtypes.NoSuchEntityException
	return errors.As(err, &nse) || errorCode(err) == "NoSuchEntity"
}
