package awsops

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// The daily-use administrator fix (admin-identity): the reads it plans
// from and the IAM writes it makes, with the calls that take them back.

// IAMAdminAPI is the part of the IAM client the admin fix uses.
type IAMAdminAPI interface {
	ListUsers(context.Context, *iam.ListUsersInput, ...func(*iam.Options)) (*iam.ListUsersOutput, error)
	GetGroup(context.Context, *iam.GetGroupInput, ...func(*iam.Options)) (*iam.GetGroupOutput, error)
	ListAttachedGroupPolicies(context.Context, *iam.ListAttachedGroupPoliciesInput, ...func(*iam.Options)) (*iam.ListAttachedGroupPoliciesOutput, error)
	CreateGroup(context.Context, *iam.CreateGroupInput, ...func(*iam.Options)) (*iam.CreateGroupOutput, error)
	DeleteGroup(context.Context, *iam.DeleteGroupInput, ...func(*iam.Options)) (*iam.DeleteGroupOutput, error)
	AttachGroupPolicy(context.Context, *iam.AttachGroupPolicyInput, ...func(*iam.Options)) (*iam.AttachGroupPolicyOutput, error)
	DetachGroupPolicy(context.Context, *iam.DetachGroupPolicyInput, ...func(*iam.Options)) (*iam.DetachGroupPolicyOutput, error)
	CreateUser(context.Context, *iam.CreateUserInput, ...func(*iam.Options)) (*iam.CreateUserOutput, error)
	DeleteUser(context.Context, *iam.DeleteUserInput, ...func(*iam.Options)) (*iam.DeleteUserOutput, error)
	AddUserToGroup(context.Context, *iam.AddUserToGroupInput, ...func(*iam.Options)) (*iam.AddUserToGroupOutput, error)
	RemoveUserFromGroup(context.Context, *iam.RemoveUserFromGroupInput, ...func(*iam.Options)) (*iam.RemoveUserFromGroupOutput, error)
	CreateLoginProfile(context.Context, *iam.CreateLoginProfileInput, ...func(*iam.Options)) (*iam.CreateLoginProfileOutput, error)
	DeleteLoginProfile(context.Context, *iam.DeleteLoginProfileInput, ...func(*iam.Options)) (*iam.DeleteLoginProfileOutput, error)
	CreateVirtualMFADevice(context.Context, *iam.CreateVirtualMFADeviceInput, ...func(*iam.Options)) (*iam.CreateVirtualMFADeviceOutput, error)
	DeleteVirtualMFADevice(context.Context, *iam.DeleteVirtualMFADeviceInput, ...func(*iam.Options)) (*iam.DeleteVirtualMFADeviceOutput, error)
	EnableMFADevice(context.Context, *iam.EnableMFADeviceInput, ...func(*iam.Options)) (*iam.EnableMFADeviceOutput, error)
}

// AdminDirectory is what the admin fix reads before planning.
type AdminDirectory interface {
	// IAMUserNames lists every IAM user's name.
	IAMUserNames(ctx context.Context) ([]string, error)
	// IAMGroup returns a group and its attached managed policies; nil when
	// there is no such group.
	IAMGroup(ctx context.Context, name string) (*IAMGroup, error)
}

// IAMGroup is an IAM group with its attached managed policy ARNs.
type IAMGroup struct {
	Name     string
	Policies []string
}

// VirtualMFA is a newly created virtual MFA device. Seed is the Base32
// secret: show it once, never log or keep it.
type VirtualMFA struct {
	Serial string
	Seed   string
}

// AdminWriter makes the admin fix's writes and their undos.
type AdminWriter interface {
	CreateGroup(ctx context.Context, name string) error
	DeleteGroup(ctx context.Context, name string) error
	AttachGroupPolicy(ctx context.Context, group, policyARN string) error
	DetachGroupPolicy(ctx context.Context, group, policyARN string) error
	CreateUser(ctx context.Context, name string) error
	DeleteUser(ctx context.Context, name string) error
	AddUserToGroup(ctx context.Context, user, group string) error
	RemoveUserFromGroup(ctx context.Context, user, group string) error
	// CreateLoginProfile gives a user a console password.
	CreateLoginProfile(ctx context.Context, user, password string, resetRequired bool) error
	DeleteLoginProfile(ctx context.Context, user string) error
	CreateVirtualMFADevice(ctx context.Context, name string) (VirtualMFA, error)
	DeleteVirtualMFADevice(ctx context.Context, serial string) error
	// EnableMFADevice assigns a virtual device to a user with two
	// consecutive codes. Codes IAM does not accept (wrong, or not two
	// consecutive ones) give an error that errors.Is ErrInvalidMFACode.
	EnableMFADevice(ctx context.Context, user, serial, code1, code2 string) error
}

var (
	_ AdminDirectory = (*AWS)(nil)
	_ AdminWriter    = (*AWS)(nil)
)

// ErrInvalidMFACode is the error (errors.Is) of codes IAM did not accept.
var ErrInvalidMFACode = errors.New("the codes did not match the device (wrong, or not two consecutive codes)")

// AdministratorAccessPolicy is the ARN of the AWS managed full-rights
// policy in a partition.
func AdministratorAccessPolicy(partition string) string {
	if partition == "" {
		partition = "aws"
	}
	return "arn:" + partition + ":iam::aws:policy/AdministratorAccess"
}

func (a *AWS) IAMUserNames(ctx context.Context) ([]string, error) {
	var names []string
	p := iam.NewListUsersPaginator(a.API.IAMAdmin, &iam.ListUsersInput{MaxItems: aws.Int32(1000)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("iam:ListUsers", err)
		}
		for _, u := range page.Users {
			names = append(names, aws.ToString(u.UserName))
		}
	}
	return names, nil
}

func (a *AWS) IAMGroup(ctx context.Context, name string) (*IAMGroup, error) {
	_, err := a.API.IAMAdmin.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String(name), MaxItems: aws.Int32(1)})
	if isNoSuchEntity(err) {
		return nil, nil
	}
	if err != nil {
		return nil, Wrap("iam:GetGroup", err)
	}
	g := &IAMGroup{Name: name}
	p := iam.NewListAttachedGroupPoliciesPaginator(a.API.IAMAdmin, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String(name), MaxItems: aws.Int32(1000)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("iam:ListAttachedGroupPolicies", err)
		}
		for _, pol := range page.AttachedPolicies {
			g.Policies = append(g.Policies, aws.ToString(pol.PolicyArn))
		}
	}
	return g, nil
}

func (a *AWS) CreateGroup(ctx context.Context, name string) error {
	_, err := a.API.IAMAdmin.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(name)})
	return Wrap("iam:CreateGroup", err)
}

func (a *AWS) DeleteGroup(ctx context.Context, name string) error {
	_, err := a.API.IAMAdmin.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String(name)})
	return Wrap("iam:DeleteGroup", err)
}

func (a *AWS) AttachGroupPolicy(ctx context.Context, group, policyARN string) error {
	_, err := a.API.IAMAdmin.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(group), PolicyArn: aws.String(policyARN)})
	return Wrap("iam:AttachGroupPolicy", err)
}

func (a *AWS) DetachGroupPolicy(ctx context.Context, group, policyARN string) error {
	_, err := a.API.IAMAdmin.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String(group), PolicyArn: aws.String(policyARN)})
	return Wrap("iam:DetachGroupPolicy", err)
}

func (a *AWS) CreateUser(ctx context.Context, name string) error {
	_, err := a.API.IAMAdmin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	return Wrap("iam:CreateUser", err)
}

func (a *AWS) DeleteUser(ctx context.Context, name string) error {
	_, err := a.API.IAMAdmin.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(name)})
	return Wrap("iam:DeleteUser", err)
}

func (a *AWS) AddUserToGroup(ctx context.Context, user, group string) error {
	_, err := a.API.IAMAdmin.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(user), GroupName: aws.String(group)})
	return Wrap("iam:AddUserToGroup", err)
}

func (a *AWS) RemoveUserFromGroup(ctx context.Context, user, group string) error {
	_, err := a.API.IAMAdmin.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(user), GroupName: aws.String(group)})
	return Wrap("iam:RemoveUserFromGroup", err)
}

func (a *AWS) CreateLoginProfile(ctx context.Context, user, password string, resetRequired bool) error {
	_, err := a.API.IAMAdmin.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{
		UserName: aws.String(user), Password: aws.String(password), PasswordResetRequired: resetRequired,
	})
	return Wrap("iam:CreateLoginProfile", err)
}

func (a *AWS) DeleteLoginProfile(ctx context.Context, user string) error {
	_, err := a.API.IAMAdmin.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String(user)})
	return Wrap("iam:DeleteLoginProfile", err)
}

func (a *AWS) CreateVirtualMFADevice(ctx context.Context, name string) (VirtualMFA, error) {
	out, err := a.API.IAMAdmin.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
	if err != nil {
		return VirtualMFA{}, Wrap("iam:CreateVirtualMFADevice", err)
	}
	d := out.VirtualMFADevice
	if d == nil || aws.ToString(d.SerialNumber) == "" || len(d.Base32StringSeed) == 0 {
		return VirtualMFA{}, &Error{Kind: KindOther, Permission: "iam:CreateVirtualMFADevice",
			Message: "AWS created the MFA device but sent no serial number or secret"}
	}
	// The SDK base64-decodes the wire value: these bytes are the Base32 text.
	return VirtualMFA{Serial: aws.ToString(d.SerialNumber), Seed: string(d.Base32StringSeed)}, nil
}

func (a *AWS) DeleteVirtualMFADevice(ctx context.Context, serial string) error {
	_, err := a.API.IAMAdmin.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	return Wrap("iam:DeleteVirtualMFADevice", err)
}

func (a *AWS) EnableMFADevice(ctx context.Context, user, serial, code1, code2 string) error {
	_, err := a.API.IAMAdmin.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{
		UserName: aws.String(user), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(code1), AuthenticationCode2: aws.String(code2),
	})
	var bad *iamtypes.InvalidAuthenticationCodeException
	if errors.As(err, &bad) || errorCode(err) == "InvalidAuthenticationCode" {
		return &Error{Kind: KindOther, Permission: "iam:EnableMFADevice", Code: "InvalidAuthenticationCode",
			Message: ErrInvalidMFACode.Error(), Err: errors.Join(ErrInvalidMFACode, err)}
	}
	return Wrap("iam:EnableMFADevice", err)
}
