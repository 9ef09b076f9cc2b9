package awsops

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	budgettypes "github.com/aws/aws-sdk-go-v2/service/budgets/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"golang.org/x/sync/errgroup"
)

// IdentityCenterInstances lists IAM Identity Center instances. ListInstances
// is regional and an account has at most one instance, in any region: the
// home region is asked first and, when it has none, every other enabled
// region at once, stopping at the first instance found. When the enabled
// regions cannot be listed (or some cannot be asked) and no instance turns
// up, the answer is a *PartialSearchError naming the regions searched.
func (a *AWS) IdentityCenterInstances(ctx context.Context) ([]IdentityCenterInstance, error) {
	home, err := a.identityCenterIn(ctx, a.API.SSOAdmin, a.region)
	if err != nil || len(home) > 0 {
		return home, err
	}
	regions, listErr := a.enabledRegions(ctx)
	if KindOf(listErr) == KindCanceled {
		return nil, listErr
	}
	if listErr != nil { // the partition's first region, where most instances are
		regions = []string{signInEventsRegion(a.region)}
	}
	regions = slices.DeleteFunc(slices.Clone(regions), func(r string) bool { return r == a.region })
	found, searched, searchErr := a.identityCenterAnywhere(ctx, regions)
	switch {
	case len(found) > 0:
		return found, nil
	case KindOf(searchErr) == KindCanceled:
		return nil, searchErr
	case listErr != nil:
		return nil, &PartialSearchError{Searched: append([]string{a.region}, searched...), Err: listErr}
	case searchErr != nil:
		return nil, &PartialSearchError{Searched: append([]string{a.region}, searched...), Err: searchErr}
	}
	return nil, nil
}

// PartialSearchError says a search across regions found nothing in the
// regions it could ask (Searched); Err is why the others were not asked.
type PartialSearchError struct {
	Searched []string
	Err      error // classified: e.g. access denied naming account:ListRegions
}

func (e *PartialSearchError) Error() string {
	return "searched only " + strings.Join(e.Searched, ", ") + ": " + e.Err.Error()
}

func (e *PartialSearchError) Unwrap() error { return e.Err }

func (a *AWS) identityCenterIn(ctx context.Context, client SSOAdminAPI, region string) ([]IdentityCenterInstance, error) {
	var instances []IdentityCenterInstance
	p := ssoadmin.NewListInstancesPaginator(client, &ssoadmin.ListInstancesInput{MaxResults: aws.Int32(100)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("sso:ListInstances", err)
		}
		for _, in := range page.Instances {
			instances = append(instances, IdentityCenterInstance{
				ARN:             aws.ToString(in.InstanceArn),
				Status:          string(in.Status),
				Region:          firstNonEmpty(aws.ToString(in.PrimaryRegion), region),
				OwnerAccountID:  aws.ToString(in.OwnerAccountId),
				IdentityStoreID: aws.ToString(in.IdentityStoreId),
			})
		}
	}
	return instances, nil
}

// identityCenterAnywhere asks the regions concurrently (bounded) and stops
// at the first instance. It returns the regions that answered and the first
// error of those that did not.
func (a *AWS) identityCenterAnywhere(ctx context.Context, regions []string) (found []IdentityCenterInstance, searched []string, firstErr error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		answered = map[string]bool{}
		g        errgroup.Group
	)
	g.SetLimit(a.limit())
	for _, region := range regions {
		g.Go(func() error {
			if ctx.Err() != nil {
				return nil
			}
			got, err := a.identityCenterIn(ctx, a.API.SSOAdminIn(region), region)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				if firstErr == nil || KindOf(firstErr) == KindCanceled {
					firstErr = err
				}
			default:
				answered[region] = true
				if len(got) > 0 && len(found) == 0 {
					found = got
					cancel()
				}
			}
			return nil
		})
	}
	_ = g.Wait() // each goroutine records its own outcome
	for _, r := range regions {
		if answered[r] {
			searched = append(searched, r)
		}
	}
	if len(found) > 0 {
		firstErr = nil
	}
	return found, searched, firstErr
}

// enabledRegions lists the account's enabled regions (opted in or on by
// default) with account:ListRegions.
func (a *AWS) enabledRegions(ctx context.Context) ([]string, error) {
	var regions []string
	p := account.NewListRegionsPaginator(a.API.Account, &account.ListRegionsInput{
		RegionOptStatusContains: []accounttypes.RegionOptStatus{accounttypes.RegionOptStatusEnabled, accounttypes.RegionOptStatusEnabledByDefault},
		MaxResults:              aws.Int32(50),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("account:ListRegions", err)
		}
		for _, r := range page.Regions {
			if name := aws.ToString(r.RegionName); name != "" {
				regions = append(regions, name)
			}
		}
	}
	return regions, nil
}

// Trails lists the trails visible in the home region, shadow copies of
// multi-region trails included, each with its logging status and event
// selectors (read at once). A status or selectors that cannot be read are
// kept on the trail (StatusErr, SelectorsErr), not a total failure.
func (a *AWS) Trails(ctx context.Context) ([]Trail, error) {
	out, err := a.API.CloudTrail.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	if err != nil {
		return nil, Wrap("cloudtrail:DescribeTrails", err)
	}
	trails := make([]Trail, len(out.TrailList))
	var g errgroup.Group
	g.SetLimit(a.limit())
	for i, t := range out.TrailList {
		trails[i] = Trail{
			Name:         aws.ToString(t.Name),
			ARN:          aws.ToString(t.TrailARN),
			HomeRegion:   aws.ToString(t.HomeRegion),
			MultiRegion:  aws.ToBool(t.IsMultiRegionTrail),
			Organization: aws.ToBool(t.IsOrganizationTrail),
			LogGroupARN:  aws.ToString(t.CloudWatchLogsLogGroupArn),
		}
		trail := &trails[i]
		// The full ARN is required for shadow and organization trails.
		name := aws.String(firstNonEmpty(trail.ARN, trail.Name))
		g.Go(func() error {
			st, err := a.API.CloudTrail.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: name})
			if err != nil {
				trail.StatusErr = Wrap("cloudtrail:GetTrailStatus", err)
				return nil
			}
			trail.IsLogging = aws.ToBool(st.IsLogging)
			trail.EverStarted = trail.IsLogging || st.StartLoggingTime != nil || st.LatestDeliveryTime != nil
			trail.DeliveryError = aws.ToString(st.LatestDeliveryError)
			return nil
		})
		custom := aws.ToBool(t.HasCustomEventSelectors)
		g.Go(func() error {
			sel, err := a.API.CloudTrail.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: name})
			if err != nil {
				trail.SelectorsErr = Wrap("cloudtrail:GetEventSelectors", err)
				return nil
			}
			trail.Management = managementCoverage(sel.EventSelectors, sel.AdvancedEventSelectors, custom)
			return nil
		})
	}
	_ = g.Wait() // every goroutine records its own error
	return trails, nil
}

// Budgets lists the account's budgets with their cost filters, period,
// notifications and subscribers, and the subscriptions of SNS subscribers'
// topics. Each budget's notifications, and each notification's
// subscribers, are read at once.
func (a *AWS) Budgets(ctx context.Context, accountID string) ([]Budget, error) {
	var list []Budget
	p := budgets.NewDescribeBudgetsPaginator(a.API.Budgets, &budgets.DescribeBudgetsInput{AccountId: aws.String(accountID), MaxResults: aws.Int32(1000)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if isBudgetsNotFound(err) {
			break // no budgets at all
		}
		if err != nil {
			return nil, Wrap("budgets:ViewBudget", err)
		}
		for _, b := range page.Budgets {
			budget := Budget{Name: aws.ToString(b.BudgetName), Type: string(b.BudgetType), TimeUnit: string(b.TimeUnit)}
			if b.BudgetLimit != nil {
				budget.Limit, budget.Unit = aws.ToString(b.BudgetLimit.Amount), aws.ToString(b.BudgetLimit.Unit)
			}
			for dim, values := range b.CostFilters {
				if len(values) > 0 {
					budget.CostFilters = append(budget.CostFilters, dim)
				}
			}
			if b.FilterExpression != nil {
				budget.CostFilters = append(budget.CostFilters, "filter expression")
			}
			slices.Sort(budget.CostFilters)
			if b.TimePeriod != nil {
				budget.PeriodEnd = aws.ToTime(b.TimePeriod.End)
			}
			switch {
			case len(b.PlannedBudgetLimits) > 0:
				budget.LimitKind = "planned"
			case b.AutoAdjustData != nil:
				budget.LimitKind = "auto-adjusting"
			}
			list = append(list, budget)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(a.limit())
	for i := range list {
		b := &list[i]
		g.Go(func() error {
			var err error
			b.Notifications, err = a.budgetNotifications(gctx, accountID, b.Name)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return list, nil
}

func (a *AWS) budgetNotifications(ctx context.Context, accountID, budget string) ([]BudgetNotification, error) {
	var (
		notes []BudgetNotification
		raw   []budgettypes.Notification
	)
	p := budgets.NewDescribeNotificationsForBudgetPaginator(a.API.Budgets, &budgets.DescribeNotificationsForBudgetInput{
		AccountId: aws.String(accountID), BudgetName: aws.String(budget), MaxResults: aws.Int32(100),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if isBudgetsNotFound(err) {
			break
		}
		if err != nil {
			return nil, Wrap("budgets:ViewBudget", err)
		}
		for _, n := range page.Notifications {
			raw = append(raw, n)
			notes = append(notes, BudgetNotification{
				Type:          string(n.NotificationType),
				Comparison:    string(n.ComparisonOperator),
				Threshold:     n.Threshold,
				ThresholdType: string(n.ThresholdType),
			})
		}
	}
	var g errgroup.Group
	for i := range notes {
		g.Go(func() error { return a.readSubscribers(ctx, accountID, budget, raw[i], &notes[i]) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return notes, nil
}

func (a *AWS) readSubscribers(ctx context.Context, accountID, budget string, n budgettypes.Notification, note *BudgetNotification) error {
	p := budgets.NewDescribeSubscribersForNotificationPaginator(a.API.Budgets, &budgets.DescribeSubscribersForNotificationInput{
		AccountId: aws.String(accountID), BudgetName: aws.String(budget), Notification: &n, MaxResults: aws.Int32(100),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if isBudgetsNotFound(err) {
			break
		}
		if err != nil {
			return Wrap("budgets:ViewBudget", err)
		}
		for _, s := range page.Subscribers {
			switch s.SubscriptionType {
			case budgettypes.SubscriptionTypeEmail:
				note.EmailSubscribers++
				note.Emails = append(note.Emails, aws.ToString(s.Address))
			case budgettypes.SubscriptionTypeSns:
				note.SNSSubscribers++
				note.SNSTopics = append(note.SNSTopics, AlertTopic{ARN: aws.ToString(s.Address)})
			}
		}
	}
	var g errgroup.Group
	for i := range note.SNSTopics {
		t := &note.SNSTopics[i]
		g.Go(func() error { a.followTopic(ctx, t, false); return nil })
	}
	return g.Wait()
}

func isBudgetsNotFound(err error) bool {
	var nf *budgettypes.NotFoundException
	return errors.As(err, &nf) || errorCode(err) == "NotFoundException"
}

// SecurityHub reports whether Security Hub is enabled in the home region.
// "Not subscribed" (InvalidAccessException) is a plain answer, not an error.
func (a *AWS) SecurityHub(ctx context.Context) (SecurityHubStatus, error) {
	out, err := a.API.SecurityHub.DescribeHub(ctx, &securityhub.DescribeHubInput{})
	if errorCode(err) == "InvalidAccessException" {
		return SecurityHubStatus{}, nil
	}
	if err != nil {
		return SecurityHubStatus{}, Wrap("securityhub:DescribeHub", err)
	}
	return SecurityHubStatus{Enabled: true, SubscribedAt: aws.ToString(out.SubscribedAt)}, nil
}

// ConfigRecorders lists the home region's AWS Config recorders and whether
// each is recording.
func (a *AWS) ConfigRecorders(ctx context.Context) ([]ConfigRecorder, error) {
	out, err := a.API.Config.DescribeConfigurationRecorders(ctx, &configservice.DescribeConfigurationRecordersInput{})
	if err != nil {
		return nil, Wrap("config:DescribeConfigurationRecorders", err)
	}
	if len(out.ConfigurationRecorders) == 0 {
		return nil, nil
	}
	st, err := a.API.Config.DescribeConfigurationRecorderStatus(ctx, &configservice.DescribeConfigurationRecorderStatusInput{})
	if err != nil {
		return nil, Wrap("config:DescribeConfigurationRecorderStatus", err)
	}
	recording := map[string]bool{}
	for _, s := range st.ConfigurationRecordersStatus {
		recording[aws.ToString(s.Name)] = s.Recording
	}
	recorders := make([]ConfigRecorder, 0, len(out.ConfigurationRecorders))
	for _, r := range out.ConfigurationRecorders {
		name := aws.ToString(r.Name)
		recorders = append(recorders, ConfigRecorder{Name: name, Recording: recording[name]})
	}
	return recorders, nil
}
