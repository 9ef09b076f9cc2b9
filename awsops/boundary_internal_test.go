package awsops

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/awsops/safetext"
)

// roundTripper answers every request with f.
type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// countingBody counts the bytes the client read.
type countingBody struct {
	r    io.Reader
	read *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read.Add(int64(n))
	return n, err
}
func (countingBody) Close() error { return nil }

func xmlAnswer(r *http.Request, body io.Reader, length int64) *http.Response {
	h := http.Header{"Content-Type": {"text/xml"}}
	return &http.Response{StatusCode: 200, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(body), ContentLength: length, Request: r}
}

// guardedIAM is an IAM client with the boundary (pages capped at maxPages)
// over transport.
func guardedIAM(transport http.RoundTripper, maxPages int) *iam.Client {
	cfg := awstest.Config(nil)
	cfg.HTTPClient = &http.Client{Transport: transport}
	cfg.APIOptions = answerGuardMiddlewares(maxPages)
	return iam.NewFromConfig(cfg)
}

func wantAnswerError(t *testing.T, err error, problem AnswerProblem, text string) {
	t.Helper()
	var ae *AnswerError
	if !errors.As(err, &ae) || ae.Problem != problem {
		t.Fatalf("error = %v (%T), want an AnswerError %s", err, err, problem)
	}
	w := Wrap("iam:Test", err)
	if KindOf(w) != KindOther || !strings.Contains(w.Error(), text) {
		t.Fatalf("classified as %q: %v, want it to say %q", KindOf(w), w, text)
	}
}

func TestBodyCapRefusesADeclaredHugeBodyUnread(t *testing.T) {
	var read atomic.Int64
	client := guardedIAM(roundTripper(func(r *http.Request) (*http.Response, error) {
		return xmlAnswer(r, countingBody{strings.NewReader(strings.Repeat("a", 1<<20)), &read}, 2<<30), nil
	}), MaxPages)
	_, err := client.GetAccountSummary(context.Background(), &iam.GetAccountSummaryInput{})
	wantAnswerError(t, err, AnswerTooLarge, "AWS sent more than 8 MB for IAM GetAccountSummary")
	if n := read.Load(); n != 0 {
		t.Errorf("read %d bytes of a body declared too large", n)
	}
}

func TestBodyCapStopsAStreamAtTheCap(t *testing.T) {
	var read atomic.Int64
	client := guardedIAM(roundTripper(func(r *http.Request) (*http.Response, error) {
		body := io.MultiReader(strings.NewReader("<GetAccountSummaryResponse><GetAccountSummaryResult><SummaryMap><entry><key>"), endlessA{})
		return xmlAnswer(r, countingBody{body, &read}, -1), nil
	}), MaxPages)
	_, err := client.GetAccountSummary(context.Background(), &iam.GetAccountSummaryInput{})
	wantAnswerError(t, err, AnswerTooLarge, "more than 8 MB")
	if n := read.Load(); n > MaxAnswerBytes+64<<10 {
		t.Errorf("read %d bytes, cap %d", n, MaxAnswerBytes)
	}
}

type endlessA struct{}

func (endlessA) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

// bigCSVReport is a valid credential report of about n bytes.
func bigCSVReport(n int) []byte {
	var b bytes.Buffer
	b.WriteString("user,arn,mfa_active\n<root_account>,arn:aws:iam::123456789012:root,true\n")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "user%07d,arn:aws:iam::123456789012:user/a-rather-long-path/for-size/user%07d,false\n", i, i)
	}
	return b.Bytes()
}

func TestCredentialReportHasTheLargerCap(t *testing.T) {
	csv := bigCSVReport(MaxAnswerBytes) // 8 MB of CSV, about 11 MB on the wire
	reg := &awstest.Registry{}
	defer reg.Verify(t)
	reg.Register(awstest.Query("GetCredentialReport"), awstest.QueryResult(
		"<Content>"+b64(csv)+"</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-01-01T00:00:00Z</GeneratedTime>"))
	a := New(awstest.Config(reg))
	out, err := a.API.IAM.GetCredentialReport(context.Background(), &iam.GetCredentialReportInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Content) != len(csv) {
		t.Fatalf("content %d bytes, want %d", len(out.Content), len(csv))
	}
}

func TestTooLargeIsNotRetried(t *testing.T) {
	var calls atomic.Int32
	cfg := awstest.Config(nil)
	cfg.HTTPClient = &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		return xmlAnswer(r, endlessA{}, -1), nil
	})}
	cfg.Retryer = newRetryer
	a := New(cfg)
	_, err := a.AccountSummary(context.Background())
	if !strings.Contains(fmt.Sprint(err), "AWS sent more than 8 MB") {
		t.Fatalf("error = %v", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d requests: a too-large answer must not be asked again", n)
	}
}

// mfaPages answers ListMFADevices page by page: tokens[i] is the next token
// of page i ("" ends the listing).
func mfaPages(tokens []string) roundTripper {
	return func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		marker := ""
		for _, kv := range strings.Split(string(b), "&") {
			if v, ok := strings.CutPrefix(kv, "Marker="); ok {
				marker = v
			}
		}
		page := 0
		for i, tok := range tokens {
			if tok == marker && marker != "" {
				page = i + 1
			}
		}
		next, truncated := "", "false"
		if page < len(tokens) && tokens[page] != "" {
			next, truncated = "<Marker>"+tokens[page]+"</Marker>", "true"
		}
		body := fmt.Sprintf(`<ListMFADevicesResponse><ListMFADevicesResult><MFADevices><member><UserName>u</UserName>`+
			`<SerialNumber>arn:aws:iam::123456789012:mfa/p%d</SerialNumber><EnableDate>2026-01-01T00:00:00Z</EnableDate></member>`+
			`</MFADevices><IsTruncated>%s</IsTruncated>%s</ListMFADevicesResult></ListMFADevicesResponse>`, page, truncated, next)
		return xmlAnswer(r, strings.NewReader(body), int64(len(body))), nil
	}
}

func listAll(ctx context.Context, client *iam.Client, user string) (int, error) {
	n := 0
	p := iam.NewListMFADevicesPaginator(client, &iam.ListMFADevicesInput{UserName: aws.String(user)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return n, err
		}
		n += len(page.MFADevices)
	}
	return n, nil
}

func TestPaginationStopsOnARepeatedToken(t *testing.T) {
	for name, tokens := range map[string][]string{
		"same token":  {"t1", "t1"},
		"a loop":      {"t1", "t2", "t1"},
		"first again": {"t1", "t2", "t3", "t2"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := listAll(context.Background(), guardedIAM(loopingPages(tokens), MaxPages), "alice")
			wantAnswerError(t, err, AnswerRepeatedToken, "AWS sent the same page token twice for IAM ListMFADevices")
		})
	}
}

// loopingPages answers page after page, following tokens as a cycle: the
// answer to a request with token tokens[i] hands out tokens[i+1].
func loopingPages(tokens []string) roundTripper {
	return func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		next := tokens[0]
		for i, tok := range tokens[:len(tokens)-1] {
			if bytes.Contains(b, []byte("Marker="+tok)) {
				next = tokens[i+1]
			}
		}
		body := `<ListMFADevicesResponse><ListMFADevicesResult><MFADevices/><IsTruncated>true</IsTruncated><Marker>` + next +
			`</Marker></ListMFADevicesResult></ListMFADevicesResponse>`
		return xmlAnswer(r, strings.NewReader(body), int64(len(body))), nil
	}
}

func TestPaginationStopsAtThePageCap(t *testing.T) {
	var calls atomic.Int32
	endless := roundTripper(func(r *http.Request) (*http.Response, error) {
		n := calls.Add(1)
		body := fmt.Sprintf(`<ListMFADevicesResponse><ListMFADevicesResult><MFADevices/><IsTruncated>true</IsTruncated>`+
			`<Marker>page-%d</Marker></ListMFADevicesResult></ListMFADevicesResponse>`, n)
		return xmlAnswer(r, strings.NewReader(body), int64(len(body))), nil
	})
	_, err := listAll(context.Background(), guardedIAM(endless, 5), "alice")
	wantAnswerError(t, err, AnswerTooManyPages, "AWS kept paginating IAM ListMFADevices past 5 pages")
	if n := calls.Load(); n != 5 {
		t.Errorf("%d pages asked for, want 5", n)
	}
}

func TestConcurrentListingsWithTheSameTokensStayApart(t *testing.T) {
	// Several listings at once, of the same operation and input, and AWS
	// hands each the same tokens: none may be taken for a repeat.
	client := guardedIAM(mfaPages([]string{"p1", "p2", "p3", ""}), 4)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			user := "alice"
			if i%2 == 1 {
				user = "bob"
			}
			n, err := listAll(context.Background(), client, user)
			if err == nil && n != 4 {
				err = fmt.Errorf("%d devices, want 4", n)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestEmptyListsAreAnswersNotShapeless(t *testing.T) {
	client := guardedIAM(roundTripper(func(r *http.Request) (*http.Response, error) {
		body := `<ListMFADevicesResponse><ListMFADevicesResult><MFADevices/><IsTruncated>false</IsTruncated></ListMFADevicesResult></ListMFADevicesResponse>`
		return xmlAnswer(r, strings.NewReader(body), int64(len(body))), nil
	}), MaxPages)
	out, err := client.ListMFADevices(context.Background(), &iam.ListMFADevicesInput{})
	if err != nil || len(out.MFADevices) != 0 {
		t.Fatalf("out = %+v, err = %v", out, err)
	}

	reg := &awstest.Registry{}
	defer reg.Verify(t)
	reg.Register(awstest.REST("GET", "/detector"), awstest.JSON(200, `{"detectorIds":[]}`))
	reg.Register(awstest.REST("GET", "/detector"), awstest.JSON(200, `{"nextToken":"x"}`))
	reg.Register(awstest.REST("GET", "/detector"), awstest.JSON(200, `{"detectorIds":null}`))
	gd := New(awstest.Config(reg)).API.GuardDuty
	if _, err := gd.ListDetectors(context.Background(), &guardduty.ListDetectorsInput{}); err != nil {
		t.Errorf("an empty list: %v", err)
	}
	for _, what := range []string{"only a token", "null"} {
		_, err := gd.ListDetectors(context.Background(), &guardduty.ListDetectorsInput{})
		var ae *AnswerError
		if !errors.As(err, &ae) || ae.Problem != AnswerNoData {
			t.Errorf("%s: error = %v, want no data", what, err)
		}
	}
}

func TestHostileErrorMessagesAreOneBoundedLine(t *testing.T) {
	reg := &awstest.Registry{}
	defer reg.Verify(t)
	msg := "denied\n\x1b]52;c;eA==\x07 \u202e" + strings.Repeat("x", 100000)
	reg.Register(awstest.JSONTarget("AWSOrganizationsV20161128.DescribeOrganization"), awstest.AWSError(400, "Odd\u009bCode", msg))
	_, err := New(awstest.Config(reg)).Organization(context.Background())
	s := err.Error()
	if !safetext.CleanLine(s) || len(s) > 1200 || !strings.Contains(s, `denied\n\x1b]52;c;eA==\x07 U+202E`) || !strings.Contains(s, "OddU+009BCode") {
		t.Fatalf("error (%d bytes) = %.300q", len(s), s)
	}
	var ae *Error
	if !errors.As(err, &ae) || !safetext.CleanLine(ae.Message) || !safetext.CleanLine(ae.Code) {
		t.Fatalf("fields not sanitized: %+v", ae)
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// BenchmarkAnswerGuardBigPage: the boundary's cost on a large answer, a
// GetAccountAuthorizationDetails page of 1,000 users with groups and
// policies (all clean, the common case).
func BenchmarkAnswerGuardBigPage(b *testing.B) {
	out := &iam.GetAccountAuthorizationDetailsOutput{}
	for i := range 1000 {
		out.UserDetailList = append(out.UserDetailList, iamtypes.UserDetail{
			UserName:  aws.String(fmt.Sprintf("user%04d", i)),
			Arn:       aws.String(fmt.Sprintf("arn:aws:iam::123456789012:user/team/user%04d", i)),
			UserId:    aws.String("AIDAEXAMPLE0000000000"),
			GroupList: []string{"admins", "developers"},
			AttachedManagedPolicies: []iamtypes.AttachedPolicy{{
				PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess"), PolicyName: aws.String("AdministratorAccess")}},
		})
	}
	b.ReportAllocs()
	for b.Loop() {
		safetext.InPlace(out)
		if !outputHasData(out) {
			b.Fatal("no data")
		}
	}
}
