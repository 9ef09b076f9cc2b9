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
			write: func(ctx context.Context, wr awsops.Writer, _ Outputs) error {
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

// Modes of the billing and operations contacts in the alternate-contacts fix.
const (
	ContactModeEdit = "edit" // enter or edit it
	ContactModeSame = "same" // same person as the security contact
	ContactModeKeep = "keep" // leave it as it is
)

// contactParts are the fields of one alternate contact.
var contactParts = []struct {
	part, label, placeholder string
	limit                    int
	validate                 func(string) error
	get                      func(*awsops.AlternateContact) *string
}{
	{"name", "Name", "", 64, ValidateContactName, func(c *awsops.AlternateContact) *string { return &c.Name }},
	{"title", "Title", "job title", 50, ValidateContactTitle, func(c *awsops.AlternateContact) *string { return &c.Title }},
	{"email", "Email", "name@example.com", 254, ValidateEmail, func(c *awsops.AlternateContact) *string { return &c.Email }},
	{"phone", "Phone", "+1 206 555 0100", 25, ValidateContactPhone, func(c *awsops.AlternateContact) *string { return &c.Phone }},
}

// ContactModeKey is the key (and flag) of a contact type's mode field.
func ContactModeKey(t awsops.ContactType) string { return contactWord(t) + "-mode" }

// contactsState is what the alternate-contacts fix reads: the contacts (a
// nil value is not set; a missing type could not be read, Err says why).
type contactsState struct {
	Contacts map[awsops.ContactType]*awsops.AlternateContact
	Err      error
}

// alternateContactsFix sets the security, billing and operations contacts.
func alternateContactsFix() Fix {
	return NewFix(FixDef[contactsState]{
		ID:      FixAlternateContacts,
		Title:   "Set the account's alternate contacts",
		Summary: "set the security, billing and operations contacts",
		Intro:   "Ask you for each missing contact (name, title, email, phone) and save it with PutAlternateContact.",
		Reads:   "the current alternate contacts",
		Writes:  []string{"account:PutAlternateContact"},
		Load: func(ctx context.Context, f *Facts) (contactsState, error) {
			cur, err := CurrentAlternateContacts(ctx, f)
			if len(cur) == 0 && err != nil { // nothing could be read
				return contactsState{}, err
			}
			if k := awsops.KindOf(err); k == awsops.KindCanceled || k == awsops.KindCredentials {
				return contactsState{}, err
			}
			return contactsState{Contacts: cur, Err: err}, nil
		},
		Form:  alternateContactsForm,
		Check: checkAlternateContactsInput,
		Plan:  planAlternateContactsInput,
	})
}

func contactFields(t awsops.ContactType, cur *awsops.AlternateContact) []Field {
	word := contactWord(t)
	fields := make([]Field, len(contactParts))
	for i, p := range contactParts {
		def := ""
		if cur != nil {
			def = *p.get(cur)
		}
		fields[i] = Field{Key: ContactFieldKey(t, p.part), Kind: FieldText, Label: p.label,
			Help: word + " contact's " + p.part, Placeholder: p.placeholder, Limit: p.limit, Default: def,
			Validate: func(s string, _ Values) error { return p.validate(strings.TrimSpace(s)) }}
	}
	return fields
}

func alternateContactsForm(st *contactsState) []Group {
	var cur contactsState
	if st != nil {
		cur = *st
	}
	note := "AWS writes to the security contact about security issues in the account. Use a person or a group address that is read."
	if cur.Err != nil {
		note = "Some current contacts could not be read: " + cur.Err.Error()
	}
	if st == nil {
		note = ""
	}
	mode := func(t awsops.ContactType) Field {
		word := contactWord(t)
		keep := "Leave the " + word + " contact as it is"
		if c, known := cur.Contacts[t]; st != nil && known && c == nil {
			keep += " (not set)"
		} else if st != nil && !known {
			keep += " (could not be read)"
		}
		def := ContactModeEdit
		if sec := cur.Contacts[awsops.ContactSecurity]; sec != nil && cur.Contacts[t] != nil && sameContactPerson(*sec, *cur.Contacts[t]) {
			def = ContactModeSame
		}
		return Field{Key: ContactModeKey(t), Kind: FieldSelect, Label: strings.ToUpper(word[:1]) + word[1:] + " contact",
			Help:    "edit, same (as the security contact) or keep",
			Default: def,
			Options: []Option{
				{Value: ContactModeEdit, Label: "Enter or edit the " + word + " contact"},
				{Value: ContactModeSame, Label: "Same as the security contact", Flag: word + "-same-as-security"},
				{Value: ContactModeKeep, Label: keep},
			}}
	}
	editing := func(t awsops.ContactType) func(Values) bool {
		return func(v Values) bool { return v[ContactModeKey(t)] == ContactModeEdit }
	}
	return []Group{
		{Title: "Security contact", Help: note, Fields: contactFields(awsops.ContactSecurity, cur.Contacts[awsops.ContactSecurity])},
		{Title: "Billing and operations contacts", Fields: []Field{mode(awsops.ContactBilling), mode(awsops.ContactOperations)}},
		{Title: "Billing contact", Shown: editing(awsops.ContactBilling), Fields: contactFields(awsops.ContactBilling, cur.Contacts[awsops.ContactBilling])},
		{Title: "Operations contact", Shown: editing(awsops.ContactOperations), Fields: contactFields(awsops.ContactOperations, cur.Contacts[awsops.ContactOperations])},
	}
}

func sameContactPerson(a, b awsops.AlternateContact) bool {
	a.Type, b.Type = "", ""
	return NormalizeAlternateContact(a) == NormalizeAlternateContact(b)
}

// contactGiven reports whether any field of a contact type was given.
func contactGiven(t awsops.ContactType, in Input) bool {
	for _, p := range contactParts {
		if in.Given[ContactFieldKey(t, p.part)] {
			return true
		}
	}
	return false
}

// contactMode is what to do with a contact type: its mode when given, else
// edit when any of its fields were given, else keep. Security is always
// edited when any of its fields are given.
func contactMode(t awsops.ContactType, in Input) string {
	if t != awsops.ContactSecurity && in.Given[ContactModeKey(t)] {
		return in.Text(ContactModeKey(t))
	}
	if contactGiven(t, in) {
		return ContactModeEdit
	}
	return ContactModeKeep
}

func checkAlternateContactsInput(in Input) error {
	var es FieldErrors
	anyType := false
	for _, t := range awsops.ContactTypes {
		word := contactWord(t)
		m := contactMode(t, in)
		switch m {
		case ContactModeEdit, ContactModeSame, ContactModeKeep:
		default:
			es = append(es, FieldError{Field: ContactModeKey(t), Message: fmt.Sprintf("must be edit, same or keep (got %q)", m)})
			continue
		}
		if m == ContactModeSame && contactGiven(t, in) {
			es = append(es, FieldError{Field: word + "-same-as-security", Message: "cannot be combined with --" + word + "-… fields"})
		}
		anyType = anyType || m != ContactModeKeep
	}
	if !anyType {
		return errors.New("give at least one contact, e.g. --security-name … --security-title … --security-email … --security-phone …")
	}
	return es.Err()
}

func planAlternateContactsInput(cur contactsState, in Input) (Plan, error) {
	if err := checkAlternateContactsInput(in); err != nil {
		return Plan{}, err
	}
	want := map[awsops.ContactType]awsops.AlternateContact{}
	var kept []Evidence
	for _, t := range awsops.ContactTypes {
		if contactMode(t, in) != ContactModeEdit {
			continue
		}
		// Start from the current values, so a single field can change.
		c := awsops.AlternateContact{Type: t}
		if cc := cur.Contacts[t]; cc != nil {
			c = *cc
		}
		for _, p := range contactParts {
			key := ContactFieldKey(t, p.part)
			if !in.Given[key] {
				if v := *p.get(&c); v != "" {
					kept = append(kept, Evidence{Key: contactWord(t) + " " + p.part, Value: v})
				}
				continue
			}
			*p.get(&c) = in.Values[key]
		}
		want[t] = NormalizeAlternateContact(c)
	}
	for _, t := range awsops.ContactTypes[1:] {
		if contactMode(t, in) != ContactModeSame {
			continue
		}
		sec, ok := want[awsops.ContactSecurity]
		if !ok && cur.Contacts[awsops.ContactSecurity] != nil {
			sec, ok = *cur.Contacts[awsops.ContactSecurity], true
		}
		if !ok {
			return Plan{}, FieldErrors{{Field: contactWord(t) + "-same-as-security", Message: "there is no security contact to copy: give --security-… fields too"}}
		}
		want[t] = SameAsSecurity(sec, t)
	}
	var list []awsops.AlternateContact
	var es FieldErrors
	for _, t := range awsops.ContactTypes {
		if c, ok := want[t]; ok {
			list = append(list, c)
			es = append(es, ValidateAlternateContact(c)...)
		}
	}
	if len(es) > 0 {
		return Plan{}, es
	}
	p := PlanAlternateContacts(cur.Contacts, list)
	p.Kept = kept
	return p, nil
}
