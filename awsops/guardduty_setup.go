package awsops

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
)

// The guardduty fix: a detector per region (one is all a region can have),
// created, or re-enabled when it is suspended, with the region's own client.

// IAM actions of the guardduty fix. Creating the first detector also makes
// GuardDuty's service-linked role, which needs iam:CreateServiceLinkedRole.
const (
	PermCreateDetector          = "guardduty:CreateDetector"
	PermUpdateDetector          = "guardduty:UpdateDetector"
	PermCreateServiceLinkedRole = "iam:CreateServiceLinkedRole"
)

// GuardDutyWriter makes the guardduty fix's writes ("" is the home region).
type GuardDutyWriter interface {
	// CreateDetector enables GuardDuty in region; it returns the new
	// detector's ID.
	CreateDetector(ctx context.Context, region string) (string, error)
	// EnableDetector re-enables a suspended detector.
	EnableDetector(ctx context.Context, region, detectorID string) error
}

var _ GuardDutyWriter = (*AWS)(nil)

// guardDutyIn is GuardDuty in region ("" or the home region: the home client).
func (a *AWS) guardDutyIn(region string) GuardDutyAPI {
	if region == "" || region == a.region {
		return a.API.GuardDuty
	}
	return a.API.GuardDutyIn(region)
}

func (a *AWS) CreateDetector(ctx context.Context, region string) (string, error) {
	out, err := a.guardDutyIn(region).CreateDetector(ctx, &guardduty.CreateDetectorInput{Enable: aws.Bool(true)})
	if err != nil {
		return "", Wrap(PermCreateDetector, err)
	}
	id := aws.ToString(out.DetectorId)
	if id == "" {
		return "", &Error{Kind: KindOther, Permission: PermCreateDetector, Err: errors.New("no detector ID"),
			Message: "AWS answered without the new detector's ID"}
	}
	return id, nil
}

func (a *AWS) EnableDetector(ctx context.Context, region, detectorID string) error {
	_, err := a.guardDutyIn(region).UpdateDetector(ctx, &guardduty.UpdateDetectorInput{DetectorId: aws.String(detectorID), Enable: aws.Bool(true)})
	return Wrap(PermUpdateDetector, err)
}
