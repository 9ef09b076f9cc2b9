package awsops

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

// maxSignInPages bounds how much event history a pass reads: 20 pages of
// 50 console sign-ins (every user's, root's are picked out). Event history
// answers at most two requests a second, so this is also a time bound.
const maxSignInPages = 20

// RootSignIns reads the root user's console sign-ins since the given time
// from CloudTrail event history in the sign-in events region (free, kept
// 90 days, needs no trail): success or failure, MFA, source address.
func (a *AWS) RootSignIns(ctx context.Context, since time.Time) (*SignInHistory, error) {
	h := &SignInHistory{Since: since}
	p := cloudtrail.NewLookupEventsPaginator(a.API.SignInEvents, &cloudtrail.LookupEventsInput{
		LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: cttypes.LookupAttributeKeyEventName, AttributeValue: aws.String("ConsoleLogin")}},
		StartTime:        aws.Time(since),
		MaxResults:       aws.Int32(50),
	})
	var oldest time.Time
	for page := 0; p.HasMorePages(); page++ {
		if page == maxSignInPages {
			h.Truncated, h.ReadBack = true, oldest
			break
		}
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("cloudtrail:LookupEvents", err)
		}
		for _, e := range out.Events {
			if t := aws.ToTime(e.EventTime); !t.IsZero() && (oldest.IsZero() || t.Before(oldest)) {
				oldest = t
			}
			if ev, ok := rootSignIn(aws.ToString(e.CloudTrailEvent)); ok {
				if ev.Time.IsZero() {
					ev.Time = aws.ToTime(e.EventTime)
				}
				h.Events = append(h.Events, ev)
			}
		}
	}
	slices.SortStableFunc(h.Events, func(x, y SignInEvent) int { return y.Time.Compare(x.Time) })
	return h, nil
}

// rootSignIn reads a ConsoleLogin CloudTrail event; ok is false unless it
// is the root user's.
func rootSignIn(raw string) (SignInEvent, bool) {
	var e struct {
		EventTime    time.Time `json:"eventTime"`
		SourceIP     string    `json:"sourceIPAddress"`
		ErrorMessage string    `json:"errorMessage"`
		UserIdentity struct {
			Type string `json:"type"`
		} `json:"userIdentity"`
		ResponseElements struct {
			ConsoleLogin string `json:"ConsoleLogin"`
		} `json:"responseElements"`
		AdditionalEventData struct {
			MFAUsed string `json:"MFAUsed"`
		} `json:"additionalEventData"`
	}
	if json.Unmarshal([]byte(raw), &e) != nil || e.UserIdentity.Type != "Root" {
		return SignInEvent{}, false
	}
	return SignInEvent{
		Time:     e.EventTime,
		Success:  strings.EqualFold(e.ResponseElements.ConsoleLogin, "Success"),
		MFAUsed:  strings.EqualFold(e.AdditionalEventData.MFAUsed, "Yes"),
		SourceIP: e.SourceIP,
		Error:    e.ErrorMessage,
	}, true
}
