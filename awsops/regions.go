package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
)

// EnabledRegions lists the account's enabled regions (opted in or on by
// default) with account:ListRegions.
func (a *AWS) EnabledRegions(ctx context.Context) ([]string, error) {
	return a.enabledRegions(ctx)
}

// GuardDutyDetectors lists the home region's detectors and their status.
func (a *AWS) GuardDutyDetectors(ctx context.Context) ([]Detector, error) {
	return a.detectors(ctx, a.API.GuardDuty)
}

// GuardDutyDetectorsIn lists another region's detectors and their status.
func (a *AWS) GuardDutyDetectorsIn(ctx context.Context, region string) ([]Detector, error) {
	if region == a.region {
		return a.GuardDutyDetectors(ctx)
	}
	return a.detectors(ctx, a.API.GuardDutyIn(region))
}

func (a *AWS) detectors(ctx context.Context, client GuardDutyAPI) ([]Detector, error) {
	var detectors []Detector
	p := guardduty.NewListDetectorsPaginator(client, &guardduty.ListDetectorsInput{MaxResults: aws.Int32(50)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("guardduty:ListDetectors", err)
		}
		for _, id := range page.DetectorIds {
			d, err := client.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(id)})
			if err != nil {
				return nil, Wrap("guardduty:GetDetector", err)
			}
			detectors = append(detectors, Detector{ID: id, Enabled: d.Status == gdtypes.DetectorStatusEnabled})
		}
	}
	return detectors, nil
}
