package awsops

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

func queryAnswer(op, inner string) string {
	return `<` + op + `Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><` + op + `Result>` + inner +
		`</` + op + `Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></` + op + `Response>`
}

// Text where the output type has a list, a structure or a map, or elements
// inside a value, is refused; real answers (empty lists among them) pass.
func TestQueryXMLShape(t *testing.T) {
	saml := reflect.TypeFor[*iam.ListSAMLProvidersOutput]()
	users := reflect.TypeFor[*iam.ListUsersOutput]()
	policy := reflect.TypeFor[*iam.GetAccountPasswordPolicyOutput]()
	summary := reflect.TypeFor[*iam.GetAccountSummaryOutput]()
	topic := reflect.TypeFor[*sns.GetTopicAttributesOutput]()
	for _, tc := range []struct {
		name, op, inner string
		out             reflect.Type
		where, want     string // "" when the shape is fine
	}{
		{"empty list", "ListSAMLProviders", `<SAMLProviderList/>`, saml, "", ""},
		{"a list", "ListSAMLProviders", `<SAMLProviderList><member><Arn>arn:aws:iam::1:saml-provider/x</Arn></member></SAMLProviderList>`, saml, "", ""},
		{"text in a list", "ListSAMLProviders", `<SAMLProviderList>not a list</SAMLProviderList>`, saml, "SAMLProviderList", "a list"},
		{"text in a listed structure", "ListUsers", `<Users><member>eve</member></Users><IsTruncated>false</IsTruncated>`, users, "Users[]", "a structure"},
		{"text in a structure", "GetAccountPasswordPolicy", `<PasswordPolicy>not a structure</PasswordPolicy>`, policy, "PasswordPolicy", "a structure"},
		{"an element in a value", "GetAccountPasswordPolicy", `<PasswordPolicy><MinimumPasswordLength><member>1</member></MinimumPasswordLength></PasswordPolicy>`, policy, "PasswordPolicy.MinimumPasswordLength", "a value"},
		{"a map", "GetAccountSummary", `<SummaryMap><entry><key>AccountMFAEnabled</key><value>1</value></entry></SummaryMap>`, summary, "", ""},
		{"text in a map", "GetAccountSummary", `<SummaryMap>AccountMFAEnabled=1</SummaryMap>`, summary, "SummaryMap", "a map"},
		{"text in a map entry", "GetTopicAttributes", `<Attributes><entry>Policy</entry></Attributes>`, topic, "Attributes{}", "a map entry"},
		{"unknown members are the SDK's business", "ListSAMLProviders", `<Unexpected>text<x/></Unexpected><SAMLProviderList/>`, saml, "", ""},
		{"names without case, as the SDK reads them", "ListSAMLProviders", `<samlproviderlist>text</samlproviderlist>`, saml, "SAMLProviderList", "a list"},
		{"not an awsQuery answer", "ListSAMLProviders", `x`, saml, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := queryAnswer(tc.op, tc.inner)
			if tc.name == "not an awsQuery answer" {
				body = `<PublicAccessBlockConfiguration>text</PublicAccessBlockConfiguration>`
			}
			m := checkQueryXMLShape([]byte(body), tc.op, tc.out)
			switch {
			case tc.where == "" && m != nil:
				t.Errorf("refused a good answer: %+v", m)
			case tc.where != "" && (m == nil || m.path != tc.where || m.want != tc.want):
				t.Errorf("got %+v, want %s is not %s", m, tc.where, tc.want)
			}
		})
	}
}

// Through the real client: the shapeless list is an error, not "no
// providers"; the error names what was wrong.
func TestShapelessListIsAnError(t *testing.T) {
	client := guardedIAM(roundTripper(func(r *http.Request) (*http.Response, error) {
		return xmlAnswer(r, strings.NewReader(queryAnswer("ListSAMLProviders", "<SAMLProviderList>not a list</SAMLProviderList>")), -1), nil
	}), MaxPages)
	out, err := client.ListSAMLProviders(context.Background(), &iam.ListSAMLProvidersInput{})
	if out != nil {
		t.Errorf("answered %+v", out)
	}
	wantAnswerError(t, err, AnswerShapeless, "AWS answered IAM ListSAMLProviders in a shape rootguard does not know (SAMLProviderList is not a list)")
}

// FuzzQueryXMLShape: any body, any nesting, never a panic or a hang.
func FuzzQueryXMLShape(f *testing.F) {
	f.Add(queryAnswer("ListUsers", `<Users><member><UserName>a</UserName><Tags><member><Key>k</Key></member></Tags></member></Users>`))
	f.Add(queryAnswer("ListUsers", `<Users>x<member>y</member></Users>`))
	f.Add(queryAnswer("GetAccountSummary", `<SummaryMap><entry><key><a/></key><value>x</value></entry></SummaryMap>`))
	f.Add(`<ListUsersResponse><ListUsersResult><Users><member><Users><member>`)
	users := reflect.TypeFor[*iam.ListUsersOutput]()
	summary := reflect.TypeFor[*iam.GetAccountSummaryOutput]()
	f.Fuzz(func(t *testing.T, body string) {
		_ = checkQueryXMLShape([]byte(body), "ListUsers", users)
		_ = checkQueryXMLShape([]byte(body), "GetAccountSummary", summary)
	})
}
