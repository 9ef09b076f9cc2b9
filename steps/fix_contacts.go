package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

// CurrentAlternateContacts reads the three alternate contacts for a plan. In
// the map, a type with a nil value is not set; a type that is missing could
// not be read, and err says why (all read errors joined).
func CurrentAlternateContacts(ctx context.Context, f *Facts) (map[awsops.ContactType]*awsops.AlternateContact, error) {
	cur := make(map[awsops.ContactType]*awsops.AlternateContact, len(awsops.ContactTypes))
	var errs []error
	for _, t := range awsops.ContactTypes {
		c, err := f.AlternateContact(ctx, t)
		if awsops.KindOf(err) == awsops.KindNotFound { // ResourceNotFoundException: not set
			c, err = nil, nil
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s contact: %w", contactWord(t), err))
			continue
		}
		cur[t] = c
	}
	return cur, errors.Join(errs...)
}

// SameAsSecurity copies the security contact's person to another type (the
// "same as security" shortcut).
func SameAsSecurity(security awsops.AlternateContact, t awsops.ContactType) awsops.AlternateContact {
	c := security
	c.Type = t
	return c
}

func contactWord(t awsops.ContactType) string { return strings.ToLower(string(t)) }

// PlanAlternateContacts plans writing the wanted alternate contacts. Only
// types whose values differ from current are written (one
// PutAlternateContact each, in security, billing, operations order). In
// current, a nil value means the type is not set and a missing key means it
// could not be read (so it is written, and the diff says so). Validate want
// first (ValidateAlternateContact); a later entry of the same type wins.
func PlanAlternateContacts(current map[awsops.ContactType]*awsops.AlternateContact, want []awsops.AlternateContact) Plan {
	p := Plan{ItemID: FixAlternateContacts, Title: "Set the account's alternate contacts"}
	byType := map[awsops.ContactType]awsops.AlternateContact{}
	for _, c := range want {
		byType[c.Type] = NormalizeAlternateContact(c)
	}
	after := map[awsops.ContactType]*awsops.AlternateContact{}
	for t, c := range current {
		after[t] = c
	}
	for _, t := range awsops.ContactTypes {
		w, ok := byType[t]
		if !ok {
			continue
		}
		cur, known := current[t]
		if known && cur != nil && sameContact(*cur, w) {
			continue
		}
		word := contactWord(t)
		for _, f := range []struct{ name, cur, proposed string }{
			{"name", curField(known, cur, func(c *awsops.AlternateContact) string { return c.Name }), w.Name},
			{"title", curField(known, cur, func(c *awsops.AlternateContact) string { return c.Title }), w.Title},
			{"email", curField(known, cur, func(c *awsops.AlternateContact) string { return c.Email }), w.Email},
			{"phone", curField(known, cur, func(c *awsops.AlternateContact) string { return c.Phone }), w.Phone},
		} {
			if f.cur == f.proposed {
				continue
			}
			p.Changes = append(p.Changes, Change{Field: word + " " + f.name, Current: f.cur, Proposed: shown(f.proposed)})
		}
		p.Calls = append(p.Calls, Call{
			API:   "account:PutAlternateContact",
			Label: word + " contact",
			Params: []Evidence{
				{Key: "AlternateContactType", Value: string(t)},
				{Key: "Name", Value: w.Name},
				{Key: "Title", Value: w.Title},
				{Key: "EmailAddress", Value: w.Email},
				{Key: "PhoneNumber", Value: w.Phone},
			},
			write: func(ctx context.Context, wr awsops.Writer) error {
				return wr.PutAlternateContact(ctx, w)
			},
		})
		after[t] = &w
	}
	p.NoOp = len(p.Calls) == 0
	p.Warnings = contactWarnings(current, after)
	return p
}

func sameContact(a, b awsops.AlternateContact) bool {
	a, b = NormalizeAlternateContact(a), NormalizeAlternateContact(b)
	return a.Name == b.Name && a.Title == b.Title && strings.EqualFold(a.Email, b.Email) && a.Phone == b.Phone
}

func curField(known bool, c *awsops.AlternateContact, get func(*awsops.AlternateContact) string) string {
	switch {
	case !known:
		return shownNoRead
	case c == nil:
		return shownNotSet
	}
	return shown(get(c))
}

// contactWarnings says what the check will still find after the plan.
func contactWarnings(current, after map[awsops.ContactType]*awsops.AlternateContact) []string {
	var w []string
	for _, t := range awsops.ContactTypes {
		if _, known := current[t]; !known && after[t] == current[t] {
			w = append(w, fmt.Sprintf("The current %s contact could not be read, so it is shown as unknown.", contactWord(t)))
		}
	}
	if c, known := after[awsops.ContactSecurity]; known && c == nil {
		w = append(w, "The security contact stays unset: AWS sends security notices to it, and the check keeps failing until it is set.")
	}
	sec, bil, ops := after[awsops.ContactSecurity], after[awsops.ContactBilling], after[awsops.ContactOperations]
	if sec != nil && bil != nil && ops != nil && strings.EqualFold(sec.Email, bil.Email) && strings.EqualFold(sec.Email, ops.Email) {
		w = append(w, "All three contacts would be the same address; a second person (or a group address) makes sure notices are not missed.")
	}
	return w
}
