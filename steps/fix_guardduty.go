package steps

import (
	"context"
	"errors"
	"fmt"

	"github.com/rootguard/rootguard/awsops"
)

// The guardduty fix turns GuardDuty on in the home region and, with
// all-regions, in every other enabled region: a new detector where a
// region has none, the suspended one re-enabled where it has one. It costs
// money after a free trial, so the user must accept the cost first.
//
// A detector protects its region on its own, so the fix keeps the regions
// it enabled when a later region fails (nothing is half-made, and deleting
// working detection would only leave the account less watched); the result
// names every region that was and was not enabled.

// Fields of the guardduty fix.
const (
	FixGuardDuty      = "guardduty"
	FieldAcceptCost   = "accept-cost"
	FieldAllRegions   = "all-regions"
	guardDutyCostNote = "GuardDuty has a 30-day free trial in each region; after it, GuardDuty is priced by usage (the volume of CloudTrail events, VPC flow and DNS logs it analyses), often a few dollars a month for a small account. GuardDuty → Usage shows the estimate; you can suspend it there."
)

// regionDetectors are one region's detectors, or why they could not be read.
type regionDetectors struct {
	Region    string
	Detectors []awsops.Detector
	Err       error
}

// guardDutyState is what the fix plans from.
type guardDutyState struct {
	Home       regionDetectors
	Others     []regionDetectors // every other enabled region, in ListRegions order
	RegionsErr error             // the enabled regions could not be listed
}

func guardDutyFix() Fix {
	return NewFix(FixDef[guardDutyState]{
		ID:      FixGuardDuty,
		Title:   "Turn on GuardDuty threat detection",
		Summary: "enable GuardDuty in the home region, or in every enabled region (costs money after a 30-day free trial)",
		Intro: "rootguard enables GuardDuty in the home region and, if you choose, in every other enabled region: a new detector where a region has none, the suspended one turned back on where it has one. " +
			"GuardDuty costs money after a 30-day free trial per region, so you accept the cost first.",
		Reads:  "GuardDuty's detectors and the enabled regions",
		Writes: []string{awsops.PermCreateDetector, awsops.PermUpdateDetector, awsops.PermCreateServiceLinkedRole},
		Load:   loadGuardDutyFix,
		Form:   guardDutyForm,
		Check: func(in Input) error {
			if !in.Bool(FieldAcceptCost) {
				return FieldErrors{{Field: FieldAcceptCost, Message: acceptCostMessage}}
			}
			return nil
		},
		Plan: PlanGuardDuty,
	})
}

// acceptCostField is said at the field when the cost is not accepted.
const acceptCostField = "Choose Yes to continue: GuardDuty costs money after its 30-day free trial in each region"

const acceptCostMessage = "must be given: GuardDuty costs money after its 30-day free trial in each region, so rootguard enables it only when you accept that (nothing was read or written)"

func loadGuardDutyFix(ctx context.Context, f *Facts) (guardDutyState, error) {
	st := guardDutyState{Home: regionDetectors{Region: f.HomeRegion()}}
	var regions []string
	concurrently(
		func() { st.Home.Detectors, st.Home.Err = f.GuardDutyDetectors(ctx) },
		func() { regions, st.RegionsErr = f.EnabledRegions(ctx) },
	)
	if st.Home.Err != nil {
		return st, st.Home.Err
	}
	for _, r := range regions {
		if r != st.Home.Region {
			st.Others = append(st.Others, regionDetectors{Region: r})
		}
	}
	sem := make(chan struct{}, liveReads)
	reads := make([]func(), len(st.Others))
	for i := range st.Others {
		o := &st.Others[i]
		reads[i] = func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			o.Detectors, o.Err = f.GuardDutyDetectorsIn(ctx, o.Region)
		}
	}
	concurrently(reads...)
	return st, nil
}

func guardDutyForm(*guardDutyState) []Group {
	return []Group{{
		Title: "GuardDuty",
		Help:  "GuardDuty reads the account's logs for signs of attack and reports findings; it changes nothing in the account.",
		Fields: []Field{
			{Key: FieldAllRegions, Kind: FieldBool, Label: "Enable it in every enabled region?", Default: "false",
				Help: "also enable GuardDuty in every other enabled region (an attacker can use any of them); otherwise only the home region"},
			{Key: FieldAcceptCost, Kind: FieldBool, Label: "Do you accept the cost?", Default: "false",
				Help: "accept GuardDuty's cost: a 30-day free trial per region, then priced by usage (required)",
				Validate: func(s string, _ Values) error {
					if !(Input{Values: Values{FieldAcceptCost: s}}).Bool(FieldAcceptCost) {
						return errors.New(acceptCostField)
					}
					return nil
				}},
		},
	}}
}

// PlanGuardDuty plans enabling GuardDuty where it is off.
func PlanGuardDuty(st guardDutyState, in Input) (Plan, error) {
	if !in.Bool(FieldAcceptCost) {
		return Plan{}, FieldErrors{{Field: FieldAcceptCost, Message: acceptCostField}}
	}
	all := in.Bool(FieldAllRegions)
	if all && st.RegionsErr != nil {
		return Plan{}, FieldErrors{{Field: FieldAllRegions, Message: "needs the list of enabled regions, which could not be read (" + st.RegionsErr.Error() + "); enable the home region alone, or grant account:ListRegions"}}
	}
	p := Plan{ItemID: FixGuardDuty, Title: "Turn on GuardDuty in " + orText(st.Home.Region, "the home region")}
	var enabled []string
	add := func(rd regionDetectors) {
		call, change, ok := detectorCall(rd)
		if ok {
			p.Calls = append(p.Calls, call)
			p.Changes = append(p.Changes, change)
			enabled = append(enabled, rd.Region)
		}
	}
	add(st.Home)
	var off, unread []string
	for _, o := range st.Others {
		switch {
		case o.Err != nil:
			unread = append(unread, o.Region+" ("+o.Err.Error()+")")
		case !slicesAnyEnabled(o.Detectors):
			off = append(off, o.Region)
			if all {
				add(o)
			}
		}
	}
	if all {
		p.Title = "Turn on GuardDuty in every enabled region"
		if len(unread) > 0 {
			p.Warnings = append(p.Warnings, "rootguard could not read GuardDuty in "+listOf(unread, 3)+", so it leaves those regions out: the check stays unknown for them until they can be read.")
		}
	} else if len(off) > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("GuardDuty is off in %s: choose every enabled region (--%s) to enable it there too, or the check stays at warn.",
			plural(len(off), "other region", "other regions"), FieldAllRegions))
	}
	if len(p.Calls) == 0 {
		p.NoOp = true
		return p, nil
	}
	p.Notes = append(p.Notes, "Each region's detector works on its own: if a region fails, the regions enabled before it stay enabled and the result lists which were and were not; run the fix again to finish.")
	if hasNew(st, all) {
		p.Notes = append(p.Notes, "The first detector makes GuardDuty's service-linked role (AWSServiceRoleForAmazonGuardDuty), which needs iam:CreateServiceLinkedRole.")
	}
	p.Warnings = append(p.Warnings, guardDutyCostNote)
	p.record = "enabled GuardDuty in " + listOf(enabled, 20)
	return p, nil
}

func hasNew(st guardDutyState, all bool) bool {
	if len(st.Home.Detectors) == 0 {
		return true
	}
	for _, o := range st.Others {
		if all && o.Err == nil && len(o.Detectors) == 0 {
			return true
		}
	}
	return false
}

// detectorCall is what turns GuardDuty on in one region: nothing when a
// detector is enabled, UpdateDetector for a suspended one, else
// CreateDetector.
func detectorCall(rd regionDetectors) (Call, Change, bool) {
	if slicesAnyEnabled(rd.Detectors) {
		return Call{}, Change{}, false
	}
	region := rd.Region
	field := "GuardDuty in " + region
	if len(rd.Detectors) > 0 {
		id := rd.Detectors[0].ID
		return guardDutyCall("guardduty:UpdateDetector", "GuardDuty in "+region+" (re-enabled)",
				[]Evidence{kv("Region", region), kv("DetectorId", id), kv("Enable", "true")},
				func(ctx context.Context, w awsops.GuardDutyWriter) error { return w.EnableDetector(ctx, region, id) }),
			Change{Field: field, Current: "suspended (detector " + id + ")", Proposed: "on (the same detector)"}, true
	}
	return guardDutyCall("guardduty:CreateDetector", "GuardDuty in "+region,
			[]Evidence{kv("Region", region), kv("Enable", "true")},
			func(ctx context.Context, w awsops.GuardDutyWriter) error {
				_, err := w.CreateDetector(ctx, region)
				return err
			}),
		Change{Field: field, Current: "off", Proposed: "on (new detector)"}, true
}

// guardDutyCall is a call of the guardduty fix's writer.
func guardDutyCall(api, label string, params []Evidence, write func(ctx context.Context, w awsops.GuardDutyWriter) error) Call {
	return NewCall(api, label, params, func(ctx context.Context, w awsops.Writer) error {
		gw, ok := w.(awsops.GuardDutyWriter)
		if !ok {
			return errors.New("internal error: this account cannot enable GuardDuty")
		}
		return write(ctx, gw)
	})
}
