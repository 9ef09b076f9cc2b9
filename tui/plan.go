package tui

import (
	"context"
	"strings"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

// plan is the change rootguard would make for an auto item, shown on its
// step before the fix flow (fix.go) asks for the values.
type plan struct {
	Intro    string
	Rows     []planRow // field by field, current → proposed (may be empty)
	Warnings []string
}

type planRow struct {
	Field, Current, Proposed string
}

func (r planRow) changed() bool { return r.Current != r.Proposed }

// planFor describes the fix for it. Reads go through f, so they are the
// pass's cached facts, not new calls.
func planFor(ctx context.Context, f *steps.Facts, it steps.Item) plan {
	switch it.ID {
	case steps.FixPasswordPolicy:
		cur, err := steps.CurrentPasswordPolicy(ctx, f)
		if err != nil {
			return plan{Intro: "Set the password policy to the recommended preset (the current policy could not be read)."}
		}
		sp := steps.PlanPasswordPolicy(cur, steps.PasswordPresetRecommended)
		p := plan{Intro: "Set the password policy to the recommended preset: at least 14 characters, all four character types, the last 24 passwords remembered, no forced expiry.", Warnings: sp.Warnings}
		for _, c := range sp.Changes {
			p.Rows = append(p.Rows, planRow{Field: c.Field, Current: c.Current, Proposed: c.Proposed})
		}
		return p
	case steps.FixAlternateContacts:
		p := plan{Intro: "Ask you for each missing contact (name, title, email, phone) and save it with PutAlternateContact."}
		for _, t := range awsops.ContactTypes {
			c, err := f.AlternateContact(ctx, t)
			row := planRow{Field: strings.ToLower(string(t)), Current: "(not set)", Proposed: "you enter it"}
			switch {
			case err != nil:
				row.Current = "(could not read)"
			case c != nil:
				row.Current = c.Name + " <" + c.Email + ">"
				row.Proposed = row.Current
			}
			p.Rows = append(p.Rows, row)
		}
		return p
	}
	if fix, ok := steps.FixFor(it.ID); ok && fix.Summary != "" {
		return plan{Intro: strings.ToUpper(fix.Summary[:1]) + fix.Summary[1:] + "."}
	}
	return plan{Intro: "Make this change through the AWS API, after showing you exactly what will change."}
}
