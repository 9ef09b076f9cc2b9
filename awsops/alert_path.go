package awsops

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"golang.org/x/sync/errgroup"
)

// readTopicAttributes reads a topic's policy and encryption key, then the
// key itself when it is one KMS can describe.
func (a *AWS) readTopicAttributes(ctx context.Context, client SNSAPI, topic *AlertTopic) {
	out, err := client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(topic.ARN)})
	if err != nil {
		topic.AttrErr = Wrap("sns:GetTopicAttributes", err)
		return
	}
	topic.Policy = out.Attributes["Policy"]
	topic.KMSKeyID = out.Attributes["KmsMasterKeyId"]
	if topic.KMSKeyID == "" || IsAWSManagedSNSKey(topic.KMSKeyID) {
		return // not encrypted, or the AWS managed key: nothing to read
	}
	topic.Key, topic.KeyErr = a.kmsKey(ctx, firstNonEmpty(arnRegion(topic.KMSKeyID), arnRegion(topic.ARN)), topic.KMSKeyID)
}

// IsAWSManagedSNSKey recognises the AWS managed alias/aws/sns key, which
// EventBridge can never use (its key policy cannot be changed).
func IsAWSManagedSNSKey(keyID string) bool {
	return keyID == "alias/aws/sns" || strings.HasSuffix(keyID, ":alias/aws/sns")
}

// kmsKey describes a key and reads its key policy. A key ID or ARN is read
// both ways at once; an alias is resolved first (GetKeyPolicy takes no alias).
func (a *AWS) kmsKey(ctx context.Context, region, keyID string) (*KMSKey, error) {
	client := a.API.KMSIn(firstNonEmpty(region, a.region))
	key := &KMSKey{}
	describe := func() error {
		out, err := client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(keyID)})
		if err != nil {
			return Wrap("kms:DescribeKey", err)
		}
		if m := out.KeyMetadata; m != nil {
			key.ARN, key.Manager, key.State = aws.ToString(m.Arn), string(m.KeyManager), string(m.KeyState)
		}
		return nil
	}
	policy := func(id string) error {
		out, err := client.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(id), PolicyName: aws.String("default")})
		if err != nil {
			return Wrap("kms:GetKeyPolicy", err)
		}
		key.Policy = aws.ToString(out.Policy)
		return nil
	}
	if strings.Contains(keyID, "alias/") {
		if err := describe(); err != nil {
			return nil, err
		}
		if err := policy(firstNonEmpty(key.ARN, keyID)); err != nil {
			return nil, err
		}
		return key, nil
	}
	var g errgroup.Group
	g.Go(describe)
	g.Go(func() error { return policy(keyID) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return key, nil
}

// RootUsageAlarms reads, in the log group's region, the metric filters of a
// trail's CloudWatch Logs group that match root use, the alarms on each
// filter's metric, and the subscriptions of those alarms' SNS topics.
func (a *AWS) RootUsageAlarms(ctx context.Context, logGroupARN string) ([]RootUsageAlarm, error) {
	region, group := firstNonEmpty(arnRegion(logGroupARN), a.region), logGroupName(logGroupARN)
	logs := a.API.LogsIn(region)
	var found []RootUsageAlarm
	in := &cloudwatchlogs.DescribeMetricFiltersInput{LogGroupName: aws.String(group), Limit: aws.Int32(50)}
	for {
		out, err := logs.DescribeMetricFilters(ctx, in)
		if err != nil {
			return nil, Wrap("logs:DescribeMetricFilters", err)
		}
		for _, f := range out.MetricFilters {
			if !MetricFilterMatchesRoot(aws.ToString(f.FilterPattern)) {
				continue
			}
			for _, m := range f.MetricTransformations {
				found = append(found, RootUsageAlarm{LogGroup: group, Filter: aws.ToString(f.FilterName),
					Metric: aws.ToString(m.MetricNamespace) + "/" + aws.ToString(m.MetricName)})
			}
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	cw := a.API.CloudWatchIn(region)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(a.limit())
	for i := range found {
		r := &found[i]
		g.Go(func() error {
			ns, name, _ := strings.Cut(r.Metric, "/")
			out, err := cw.DescribeAlarmsForMetric(gctx, &cloudwatch.DescribeAlarmsForMetricInput{MetricName: aws.String(name), Namespace: aws.String(ns)})
			if err != nil {
				return Wrap("cloudwatch:DescribeAlarmsForMetric", err)
			}
			for _, al := range out.MetricAlarms {
				alarm := MetricAlarm{Name: aws.ToString(al.AlarmName), ActionsEnabled: aws.ToBool(al.ActionsEnabled)}
				for _, act := range al.AlarmActions {
					if isSNSTopicARN(act) {
						alarm.Topics = append(alarm.Topics, AlertTopic{ARN: act})
					}
				}
				r.Alarms = append(r.Alarms, alarm)
			}
			var tg errgroup.Group
			for j := range r.Alarms {
				for k := range r.Alarms[j].Topics {
					t := &r.Alarms[j].Topics[k]
					tg.Go(func() error { a.followTopic(gctx, t, false); return nil })
				}
			}
			return tg.Wait()
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return found, nil
}

// logGroupName reads the name out of arn:aws:logs:REGION:ACCT:log-group:NAME:*.
func logGroupName(arn string) string {
	_, rest, ok := strings.Cut(arn, ":log-group:")
	if !ok {
		return arn
	}
	return strings.TrimSuffix(rest, ":*")
}

// MetricFilterMatchesRoot reports whether a CloudWatch Logs filter pattern
// selects events by the root user: it tests userIdentity.type for "Root"
// (the CIS benchmark's pattern and its variants).
func MetricFilterMatchesRoot(pattern string) bool {
	p := strings.Join(strings.Fields(pattern), "")
	return strings.Contains(p, `$.userIdentity.type="Root"`) || strings.Contains(p, `$.userIdentity.type=Root`)
}
