package awsops

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
)

// AlternateContact returns one alternate contact of the caller's account,
// nil when that type is not set. AccountId is never sent: the call then acts
// on the caller's own account, which works in every kind of account.
func (a *AWS) AlternateContact(ctx context.Context, t ContactType) (*AlternateContact, error) {
	out, err := a.API.Account.GetAlternateContact(ctx, &account.GetAlternateContactInput{
		AlternateContactType: accounttypes.AlternateContactType(t),
	})
	if isResourceNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, Wrap("account:GetAlternateContact", err)
	}
	c := out.AlternateContact
	if c == nil {
		return nil, nil
	}
	return &AlternateContact{
		Type:  ContactType(c.AlternateContactType),
		Name:  aws.ToString(c.Name),
		Title: aws.ToString(c.Title),
		Email: aws.ToString(c.EmailAddress),
		Phone: aws.ToString(c.PhoneNumber),
	}, nil
}

// PutAlternateContact sets one alternate contact (all four fields are
// required by the API).
func (a *AWS) PutAlternateContact(ctx context.Context, c AlternateContact) error {
	_, err := a.API.Account.PutAlternateContact(ctx, &account.PutAlternateContactInput{
		AlternateContactType: accounttypes.AlternateContactType(c.Type),
		Name:                 aws.String(c.Name),
		Title:                aws.String(c.Title),
		EmailAddress:         aws.String(c.Email),
		PhoneNumber:          aws.String(c.Phone),
	})
	return Wrap("account:PutAlternateContact", err)
}

// ContactInformation returns the primary contact, nil when none is on file.
func (a *AWS) ContactInformation(ctx context.Context) (*ContactInfo, error) {
	out, err := a.API.Account.GetContactInformation(ctx, &account.GetContactInformationInput{})
	if isResourceNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, Wrap("account:GetContactInformation", err)
	}
	c := out.ContactInformation
	if c == nil {
		return nil, nil
	}
	return &ContactInfo{
		FullName:         aws.ToString(c.FullName),
		CompanyName:      aws.ToString(c.CompanyName),
		AddressLine1:     aws.ToString(c.AddressLine1),
		AddressLine2:     aws.ToString(c.AddressLine2),
		AddressLine3:     aws.ToString(c.AddressLine3),
		City:             aws.ToString(c.City),
		StateOrRegion:    aws.ToString(c.StateOrRegion),
		DistrictOrCounty: aws.ToString(c.DistrictOrCounty),
		PostalCode:       aws.ToString(c.PostalCode),
		CountryCode:      aws.ToString(c.CountryCode),
		PhoneNumber:      aws.ToString(c.PhoneNumber),
		WebsiteURL:       aws.ToString(c.WebsiteUrl),
	}, nil
}

// PutContactInformation replaces the primary contact. Optional fields that
// are empty are left out (the API rejects empty strings).
func (a *AWS) PutContactInformation(ctx context.Context, c ContactInfo) error {
	_, err := a.API.Account.PutContactInformation(ctx, &account.PutContactInformationInput{
		ContactInformation: &accounttypes.ContactInformation{
			FullName:         aws.String(c.FullName),
			AddressLine1:     aws.String(c.AddressLine1),
			City:             aws.String(c.City),
			PostalCode:       aws.String(c.PostalCode),
			CountryCode:      aws.String(c.CountryCode),
			PhoneNumber:      aws.String(c.PhoneNumber),
			CompanyName:      optional(c.CompanyName),
			AddressLine2:     optional(c.AddressLine2),
			AddressLine3:     optional(c.AddressLine3),
			StateOrRegion:    optional(c.StateOrRegion),
			DistrictOrCounty: optional(c.DistrictOrCounty),
			WebsiteUrl:       optional(c.WebsiteURL),
		},
	})
	return Wrap("account:PutContactInformation", err)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func isResourceNotFound(err error) bool {
	var rnf *accounttypes.ResourceNotFoundException
	return errors.As(err, &rnf) || errorCode(err) == "ResourceNotFoundException"
}
