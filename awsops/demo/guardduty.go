package demo

import (
	"context"
	"fmt"
	"slices"

	"github.com/rootguard/rootguard/awsops"
)

// The guardduty fix in the demo: one detector per region, created or
// re-enabled as GuardDuty does (a second detector in a region, or a
// detector ID the region does not have, is a BadRequestException).

var _ awsops.GuardDutyWriter = (*Account)(nil)

// detectorID is the ID the demo gives a new detector in region.
func detectorID(region string) string {
	if region == HomeRegion {
		return "6ec8a3b2f1d94e7ab0c5d2e8f4a1b7c3"
	}
	return fmt.Sprintf("7fd9b4c3e2a05f8bc1d6e3f9a5b2c%03d", slices.Index(Regions, region))
}

// detectorsIn is the state's detector list of region.
func (st *state) detectorsIn(region string) *[]awsops.Detector {
	if region == HomeRegion {
		return &st.detectors
	}
	if st.regionDetectors == nil {
		st.regionDetectors = map[string][]awsops.Detector{}
	}
	list := st.regionDetectors[region]
	st.regionDetectors[region] = list
	return &list
}

func (st *state) anyDetector() bool {
	if len(st.detectors) > 0 {
		return true
	}
	for _, ds := range st.regionDetectors {
		if len(ds) > 0 {
			return true
		}
	}
	return false
}

func (a *Account) CreateDetector(ctx context.Context, region string) (string, error) {
	const op = "CreateDetector"
	region = orHome(region)
	id := ""
	err := a.write(ctx, op, "Region="+region+" Enable=true", func(st *state) error {
		if !slices.Contains(Regions, region) {
			return demoError(op, awsops.KindOther, "UnrecognizedClientException", "The security token included in the request is invalid (region "+region+" is not enabled).")
		}
		if len(*st.detectorsIn(region)) > 0 {
			return demoError(op, awsops.KindOther, "BadRequestException", "The request is rejected because a detector already exists for the current account.")
		}
		if !st.anyDetector() {
			st.serviceRoles++ // AWSServiceRoleForAmazonGuardDuty
		}
		id = detectorID(region)
		d := []awsops.Detector{{ID: id, Enabled: true}}
		if region == HomeRegion {
			st.detectors = d
		} else {
			st.regionDetectors[region] = d
		}
		return nil
	})
	return id, err
}

func (a *Account) EnableDetector(ctx context.Context, region, id string) error {
	const op = "EnableDetector"
	region = orHome(region)
	return a.write(ctx, op, "Region="+region+" DetectorId="+id+" Enable=true", func(st *state) error {
		list := st.detectorsIn(region)
		for i := range *list {
			if (*list)[i].ID == id {
				(*list)[i].Enabled = true
				return nil
			}
		}
		return demoError(op, awsops.KindOther, "BadRequestException", "The request is rejected because the input detectorId is not owned by the current account.")
	})
}

// SuspendDetector suspends region's detector (or makes a suspended one),
// for trainings and tests of the re-enable path.
func (a *Account) SuspendDetector(region string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	region = orHome(region)
	list := a.st.detectorsIn(region)
	if len(*list) == 0 {
		*list = []awsops.Detector{{ID: detectorID(region)}}
	}
	for i := range *list {
		(*list)[i].Enabled = false
	}
	if region != HomeRegion {
		a.st.regionDetectors[region] = *list
	}
}
