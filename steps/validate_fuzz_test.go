package steps

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rootguard/rootguard/awsops"
)

// AWS's own patterns (account service model). Whatever the validators accept
// must also satisfy these, so AWS never rejects a value for its shape.
var (
	awsEmailPattern        = regexp.MustCompile(`^[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*$`)
	awsAltPhonePattern     = regexp.MustCompile(`^[\s0-9()+-]+$`)
	awsPrimaryPhonePattern = regexp.MustCompile(`^[+][\s0-9()-]+$`)
)

// checkRejections fails on a rejection without a message or field.
func checkRejections(t *testing.T, es FieldErrors) {
	t.Helper()
	for _, e := range es {
		if strings.TrimSpace(e.Message) == "" || e.Field == "" {
			t.Fatalf("rejection without a message: %+v", e)
		}
	}
}

func FuzzValidateAlternateContact(f *testing.F) {
	f.Add("Ana Lima", "CISO", "ana@example.com", "+1 206 555 0100")
	f.Add("", "", "", "")
	f.Add(strings.Repeat("x", 65), "t", "a@b", "()")
	f.Add("\x00", "\xff\xfe", "a@@b.com", "++--")
	f.Add("名前", "Titel", " a@b.de ", "  1 ")
	f.Fuzz(func(t *testing.T, name, title, email, phone string) {
		c := awsops.AlternateContact{Type: awsops.ContactSecurity, Name: name, Title: title, Email: email, Phone: phone}
		es := ValidateAlternateContact(NormalizeAlternateContact(c))
		checkRejections(t, es)
		// Values are sent trimmed.
		sentEmail, sentPhone := strings.TrimSpace(email), strings.TrimSpace(phone)
		if ValidateEmail(sentEmail) == nil && !awsEmailPattern.MatchString(sentEmail) {
			t.Fatalf("accepted email %q that AWS rejects", email)
		}
		if err := ValidateContactPhone(sentPhone); err == nil && !awsAltPhonePattern.MatchString(sentPhone) {
			t.Fatalf("accepted phone %q that AWS rejects", phone)
		}
		if len(es) == 0 {
			n := NormalizeAlternateContact(c)
			if utf8.RuneCountInString(n.Name) > 64 || utf8.RuneCountInString(n.Title) > 50 || len(n.Email) > 254 {
				t.Fatalf("accepted over-long contact %+v", n)
			}
			p := PlanAlternateContacts(map[awsops.ContactType]*awsops.AlternateContact{}, []awsops.AlternateContact{c})
			if len(p.Calls) != 1 {
				t.Fatalf("valid contact planned %d calls", len(p.Calls))
			}
		}
	})
}

func FuzzValidateContactInfo(f *testing.F) {
	f.Add("Ana Lima", "1 Main St", "Seattle", "WA", "98101", "US", "+1 206 555 0100", "https://example.com")
	f.Add("", "", "", "", "", "", "", "")
	f.Add("x", "y", "z", "", "1", "gb", "+44", "")
	f.Add("\t", strings.Repeat("a", 61), "c", "s", "p", "USA", "206", "a b")
	f.Fuzz(func(t *testing.T, name, addr, city, state, postal, country, phone, web string) {
		c := NormalizeContactInfo(awsops.ContactInfo{FullName: name, AddressLine1: addr, City: city,
			StateOrRegion: state, PostalCode: postal, CountryCode: country, PhoneNumber: phone, WebsiteURL: web})
		es := ValidateContactInfo(c)
		checkRejections(t, es)
		if len(es) == 0 {
			if !awsPrimaryPhonePattern.MatchString(c.PhoneNumber) || len(c.CountryCode) != 2 {
				t.Fatalf("accepted %+v that AWS rejects", c)
			}
			if StateRequired(c.CountryCode) && c.StateOrRegion == "" {
				t.Fatalf("accepted %s without a state", c.CountryCode)
			}
			if p := PlanContactInfo(nil, c); len(p.Calls) != 1 || p.NoOp {
				t.Fatalf("valid info planned %+v", p)
			}
		}
	})
}

func FuzzPasswordPolicyInput(f *testing.F) {
	f.Add("14", "24", "90")
	f.Add("", "", "")
	f.Add("5", "25", "1096")
	f.Add("-0", "+3", "1e3")
	f.Fuzz(func(t *testing.T, length, reuse, maxAge string) {
		for _, tc := range []struct {
			r  IntRange
			in string
		}{{PasswordLengthRange, length}, {PasswordReuseRange, reuse}, {PasswordMaxAgeRange, maxAge}} {
			if err := tc.r.ValidateInput(tc.in); err != nil && strings.TrimSpace(err.Error()) == "" {
				t.Fatalf("rejection of %q without a message", tc.in)
			}
		}
	})
}

func FuzzPasswordPolicyNumbers(f *testing.F) {
	f.Add(14, 24, 0, true)
	f.Add(0, -1, 2000, false)
	f.Fuzz(func(t *testing.T, length, reuse, maxAge int, hard bool) {
		p := PasswordPresetRecommended
		p.MinimumLength, p.ReusePrevention, p.MaxAgeDays, p.HardExpiry = length, reuse, maxAge, hard
		es := ValidatePasswordPolicy(p)
		checkRejections(t, es)
		if len(es) == 0 {
			if length < 6 || length > 128 || reuse < 0 || reuse > 24 || maxAge < 0 || maxAge > 1095 {
				t.Fatalf("accepted out-of-range policy %+v", p)
			}
			cur := PasswordPresetStrict
			_ = PlanPasswordPolicy(&cur, p)
		}
	})
}
