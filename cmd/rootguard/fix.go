package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

// `rootguard fix` applies one fix non-interactively, with the same plan the
// wizard previews: read the current state → build the plan → print it (the
// calls and the field diff) → with --yes (and without --dry-run) apply it →
// re-check the item live and print its new verdict.
//
// Exit codes follow `check` with its default --fail-on fail: 0 when the
// item is fine at the end (already in place, or written and re-checked
// pass, warn, n/a or attested); 1 when the change is pending (no --yes, or
// --dry-run), a write failed, the re-check is fail or unknown, or the
// current state could not be read (unknown, as in check); 2 for bad flags or
// input (with the field's message) and credentials that do not work; 130
// when interrupted.

const fixHelpFooter = `
Without --yes, the plan is printed and nothing is written. --dry-run never
writes, even with --yes.

Exit codes (as check with --fail-on fail):
  0    already in place, or written and re-checked pass, warn, n/a or attested
  1    the change is pending (no --yes, or --dry-run), a write failed, the
       re-check is fail or unknown, or the current state could not be read
  2    bad flags or input, or credentials that do not work
  130  interrupted

An applied fix is remembered in the account's saved progress
(rootguard history): what changed, never a secret. With --demo, the demo
account's state is saved too, so the next run (check, the wizard) continues
from it; --no-save keeps nothing and --reset-demo starts the demo over.`

// fixOptions are the flags every fix takes.
type fixOptions struct {
	account accountFlags
	state   stateFlags
	yes     bool
	dryRun  bool
}

func (o *fixOptions) register(fs *flag.FlagSet) {
	o.account.register(fs)
	o.state.register(fs)
	fs.BoolVar(&o.yes, "yes", false, "apply the plan (without it, the plan is only printed)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the plan and never write, even with --yes")
}

// fixCommand is one available fix: its flags and how it builds its plan.
type fixCommand struct {
	id    string
	reads string // what the plan reads, for errors: "the current password policy"
	usage string
	// setup registers the fix's flags and returns the plan builder. check
	// validates the given values before any AWS call; plan reads the
	// current state and builds the plan (a steps.FieldErrors for bad input).
	setup func(fs *flag.FlagSet) (check func(set map[string]bool) error, plan planFunc)
}

type planFunc func(ctx context.Context, f *steps.Facts, set map[string]bool) (fixPlan, error)

// fixPlan is a plan with what the command adds to it.
type fixPlan struct {
	steps.Plan
	// Notes are printed with the plan: choices the command made for the
	// user (a starting point, a preset that is no longer the preset).
	Notes []string
	// Kept are fields sent again unchanged ("kept as is"), Key = label.
	Kept []steps.Evidence
}

func fixCommands() []fixCommand {
	return []fixCommand{
		{steps.FixPasswordPolicy, "the current password policy", "rootguard fix password-policy --preset recommended|strict|custom [--min-length N] [--reuse N] [--max-age DAYS] [--require-uppercase] … [--yes] [--dry-run]", setupPasswordPolicy},
		{steps.FixAlternateContacts, "the current alternate contacts", "rootguard fix alternate-contacts --security-name … --security-title … --security-email … --security-phone … [--billing-… | --billing-same-as-security] [--operations-… | --operations-same-as-security] [--yes] [--dry-run]", setupAlternateContacts},
		{steps.FixContactInfo, "the current contact information", "rootguard fix contact-info [--full-name …] [--address-line1 …] [--city …] [--state …] [--postal-code …] [--country-code CC] [--phone +…] [--company …] [--website …] [--yes] [--dry-run]   (at least one field; fields left out keep their current values; with nothing on file, give full name, address line 1, city, postal code, country code and phone)", setupContactInfo},
	}
}

func runFix(ctx context.Context, args []string, ios IOStreams, d deps) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fs := newFlagSet("fix", "rootguard fix <item> [flags]  |  rootguard fix --list", ios)
		list := fs.Bool("list", false, "list every fixable item")
		var ignored fixOptions // accepted with --list, which reads nothing
		ignored.register(fs)
		fs.Usage = func() { printFixUsage(fs.Output()) }
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if *list {
			return writeFixList(ios.Out)
		}
		printFixUsage(ios.ErrOut)
		return usageErr("name the item to fix, e.g. `rootguard fix password-policy --preset recommended`")
	}
	id := args[0]
	for _, fc := range fixCommands() {
		if fc.id == id {
			return runFixItem(ctx, fc, args[1:], ios, d)
		}
	}
	if info, ok := steps.FixFor(id); ok {
		return usageErr(fmt.Sprintf("the %s fix is planned for a later release; `rootguard fix --list` shows what is available now", info.ID))
	}
	return usageErr(fmt.Sprintf("%q is not a fixable item; `rootguard fix --list` shows them", id))
}

func printFixUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: rootguard fix <item> [flags]\n       rootguard fix --list")
	fmt.Fprintln(w, "\nFixes available now:")
	for _, fc := range fixCommands() {
		fmt.Fprintf(w, "  %s\n", fc.usage)
	}
	fmt.Fprintln(w, "\nEvery fix also takes --demo, --profile NAME, --region REGION, --state-dir DIR, --no-save and --reset-demo. Run `rootguard fix <item> --help` for its flags.")
	fmt.Fprintln(w, fixHelpFooter)
}

// writeFixList prints every fixable item, available now or planned.
func writeFixList(w io.Writer) error {
	var b strings.Builder
	width := 0
	for _, f := range steps.Fixes() {
		width = max(width, len(f.ID))
	}
	b.WriteString("Fixable items (rootguard fix <item> --help for flags):\n\n")
	for _, f := range steps.Fixes() {
		state := "available"
		if !f.Available() {
			state = "planned  "
		}
		fmt.Fprintf(&b, "  %s  %s  %s\n", padRight(f.ID, width), state, f.Summary)
		fmt.Fprintf(&b, "  %s             writes: %s\n", strings.Repeat(" ", width), strings.Join(f.Writes, ", "))
	}
	b.WriteString("\n\"planned\" fixes come in a later release; until then the wizard shows their console steps.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func runFixItem(ctx context.Context, fc fixCommand, args []string, ios IOStreams, d deps) error {
	fs := newFlagSet("fix "+fc.id, fc.usage, ios)
	var opts fixOptions
	opts.register(fs)
	check, plan := fc.setup(fs)
	usage := fs.Usage
	fs.Usage = func() { usage(); fmt.Fprintln(fs.Output(), fixHelpFooter) }
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if err := check(set); err != nil {
		return inputError(err)
	}

	sess, err := openSession(ctx, opts.account, opts.state, ios, d)
	if err != nil {
		return err
	}
	acct := sess.acct
	facts := steps.NewFacts(acct, steps.FactsOptions{Now: d.now})
	p, err := plan(ctx, facts, set)
	if err != nil {
		var fe steps.FieldErrors
		if errors.As(err, &fe) {
			return inputError(err)
		}
		return readError(fc.reads, err)
	}

	out, st := textOutput(ios)
	writePlan(out, st, p)
	switch {
	case p.NoOp:
		fmt.Fprintln(out, "Already in place; nothing to do (nothing was written).")
		return nil
	case opts.dryRun:
		fmt.Fprintln(out, "Dry run: nothing was written.")
		return &exitError{code: exitFindings}
	case !opts.yes:
		fmt.Fprintln(out, "Nothing was written; re-run with --yes to apply.")
		return &exitError{code: exitFindings}
	}

	res := p.Apply(ctx, acct)
	if res.OK() {
		fmt.Fprintln(out, st.render(st.status[steps.StatusPass], "✓ "+res.Explain()))
	} else {
		fmt.Fprintln(out, st.render(st.status[steps.StatusFail], "✗ "+res.Explain()))
		fmt.Fprintln(out, "  → "+res.Todo())
	}
	verdict := steps.StatusUnknown
	if len(res.Applied) > 0 {
		if err := sess.recordFix(fc.id, sess.now(), p.RecordSummary(res)); err != nil {
			warnf(ios, "%v", err)
		}
		sess.saveDemoOrWarn()
		verdict = reverify(ctx, out, st, fc.id, acct, d)
	}
	switch {
	case !res.OK():
		if awsops.KindOf(res.Err) == awsops.KindCanceled {
			return errInterrupted
		}
		if awsops.KindOf(res.Err) == awsops.KindCredentials {
			return &exitError{code: exitUsage}
		}
		return &exitError{code: exitFindings}
	case !failsOn("fail", verdict):
		return nil // pass, warn, n/a, attested: as check's default threshold
	}
	return &exitError{code: exitFindings}
}

// reverify re-checks the item live, prints its verdict and returns it.
func reverify(ctx context.Context, out io.Writer, st outputStyles, id string, acct awsops.Account, d deps) steps.Status {
	it, ok := steps.Lookup(id)
	if !ok {
		fmt.Fprintf(out, "Could not re-check %s: it is not in the checklist.\n", id)
		return steps.StatusUnknown
	}
	r := steps.Reverify(ctx, acct, it, steps.FactsOptions{Now: d.now})
	fmt.Fprintf(out, "\nRe-checked live: %s  %s\n", st.render(st.status[r.Status], r.Status.Glyph()+" "+string(r.Status)), r.Summary)
	for _, e := range r.Evidence {
		fmt.Fprintf(out, "  %s: %s\n", e.Key, e.Value)
	}
	if r.Status != steps.StatusPass && r.Todo != "" {
		fmt.Fprintln(out, st.render(st.faint, "  → "+r.Todo))
	}
	return r.Status
}

// sameCurrent reports whether every change starts from one placeholder
// value such as "(no policy: AWS default)" or "(not set)".
func sameCurrent(cs []steps.Change) (string, bool) {
	if len(cs) == 0 || !strings.HasPrefix(cs[0].Current, "(") {
		return "", false
	}
	for _, c := range cs[1:] {
		if c.Current != cs[0].Current {
			return "", false
		}
	}
	return cs[0].Current, true
}

// writePlan prints a plan: the field diff, the fields kept as they are,
// the command's notes, the calls in order, warnings.
func writePlan(w io.Writer, st outputStyles, p fixPlan) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s)\n", st.render(st.heading, p.Title), p.ItemID)
	if p.NoOp {
		b.WriteString("The account already has these values.\n")
	}
	if current, same := sameCurrent(p.Changes); same && len(p.Changes) > 1 {
		// Nothing set yet: say so once, not on every row.
		fw := 0
		for _, c := range p.Changes {
			fw = max(fw, displayWidth(c.Field))
		}
		fmt.Fprintf(&b, "\nChanges (every field now: %s):\n", strings.Trim(current, "()"))
		for _, c := range p.Changes {
			fmt.Fprintf(&b, "  %s  →  %s\n", padRight(c.Field, fw), c.Proposed)
		}
	} else if len(p.Changes) > 0 {
		fw, cw := len("Field"), len("Current")
		for _, c := range p.Changes {
			fw = max(fw, displayWidth(c.Field))
			cw = max(cw, displayWidth(c.Current))
		}
		b.WriteString("\nChanges:\n")
		fmt.Fprintf(&b, "  %s  %s     %s\n", st.render(st.faint, padRight("Field", fw)), st.render(st.faint, padRight("Current", cw)), st.render(st.faint, "Proposed"))
		for _, c := range p.Changes {
			fmt.Fprintf(&b, "  %s  %s  →  %s\n", padRight(c.Field, fw), padRight(c.Current, cw), c.Proposed)
		}
	}
	if len(p.Kept) > 0 && !p.NoOp {
		kw := 0
		for _, k := range p.Kept {
			kw = max(kw, displayWidth(k.Key))
		}
		b.WriteString("\nKept as is (sent again unchanged, because the call replaces the whole record):\n")
		for _, k := range p.Kept {
			fmt.Fprintf(&b, "  %s  %s\n", padRight(k.Key, kw), k.Value)
		}
	}
	if len(p.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range p.Notes {
			b.WriteString("Note: " + n + "\n")
		}
	}
	if len(p.Calls) > 0 {
		b.WriteString("\nAPI calls, in order:\n")
		for i, c := range p.Calls {
			fmt.Fprintf(&b, "  %d. %s (%s)\n", i+1, c.API, c.Label)
			for _, e := range c.Params {
				fmt.Fprintf(&b, "       %s = %s\n", e.Key, e.Value)
			}
		}
	}
	if len(p.Warnings) > 0 {
		b.WriteString("\n")
		for _, warn := range p.Warnings {
			b.WriteString(st.render(st.warn, "! ") + warn + "\n")
		}
	}
	b.WriteString("\n")
	_, _ = io.WriteString(w, b.String())
}

func displayWidth(s string) int { return ansi.StringWidth(s) }

// inputError is exit 2 with each rejected field's message, by flag.
func inputError(err error) error {
	var fe steps.FieldErrors
	if !errors.As(err, &fe) {
		return usageErr(err.Error())
	}
	lines := make([]string, len(fe))
	for i, e := range fe {
		lines[i] = e.Message
		if e.Field != "" {
			lines[i] = "--" + e.Field + ": " + e.Message
		}
	}
	if len(lines) == 1 {
		return usageErr(lines[0])
	}
	return usageErr("invalid input:\n  " + strings.Join(lines, "\n  "))
}

// readError explains a failed read of the current state; nothing was written.
func readError(what string, err error) error {
	if awsops.KindOf(err) == awsops.KindCanceled {
		return errInterrupted
	}
	r := steps.Unknown(what, err)
	code := exitFindings
	if awsops.KindOf(err) == awsops.KindCredentials {
		code = exitUsage
	}
	return &exitError{code: code, msg: r.Summary + "; nothing was written. " + r.Todo}
}

// Password policy.

func setupPasswordPolicy(fs *flag.FlagSet) (func(map[string]bool) error, planFunc) {
	preset := fs.String("preset", "", "recommended (length 14, reuse 24, all character types, no expiry), strict (recommended + 90-day expiry), or custom (start from the current policy, or from recommended when none is set)")
	var p awsops.PasswordPolicy
	fs.IntVar(&p.MinimumLength, steps.FieldMinLength, 0, "minimum password length (6–128)")
	fs.IntVar(&p.ReusePrevention, steps.FieldReuse, 0, "remember this many old passwords (1–24; 0 = off)")
	fs.IntVar(&p.MaxAgeDays, steps.FieldMaxAge, 0, "passwords expire after this many days (1–1095; 0 = never)")
	fs.BoolVar(&p.RequireUppercase, steps.FieldRequireUppercase, false, "require an uppercase letter")
	fs.BoolVar(&p.RequireLowercase, steps.FieldRequireLowercase, false, "require a lowercase letter")
	fs.BoolVar(&p.RequireNumbers, steps.FieldRequireNumbers, false, "require a number")
	fs.BoolVar(&p.RequireSymbols, steps.FieldRequireSymbols, false, "require a symbol")
	fs.BoolVar(&p.AllowUsersToChange, steps.FieldAllowChange, false, "let IAM users change their own password")
	fs.BoolVar(&p.HardExpiry, steps.FieldHardExpiry, false, "an expired password needs an administrator to reset it")

	fields := []string{steps.FieldMinLength, steps.FieldReuse, steps.FieldMaxAge, steps.FieldRequireUppercase,
		steps.FieldRequireLowercase, steps.FieldRequireNumbers, steps.FieldRequireSymbols, steps.FieldAllowChange, steps.FieldHardExpiry}
	// merge puts the given fields over base.
	merge := func(base awsops.PasswordPolicy, set map[string]bool) awsops.PasswordPolicy {
		for _, f := range fields {
			if !set[f] {
				continue
			}
			switch f {
			case steps.FieldMinLength:
				base.MinimumLength = p.MinimumLength
			case steps.FieldReuse:
				base.ReusePrevention = p.ReusePrevention
			case steps.FieldMaxAge:
				base.MaxAgeDays = p.MaxAgeDays
			case steps.FieldRequireUppercase:
				base.RequireUppercase = p.RequireUppercase
			case steps.FieldRequireLowercase:
				base.RequireLowercase = p.RequireLowercase
			case steps.FieldRequireNumbers:
				base.RequireNumbers = p.RequireNumbers
			case steps.FieldRequireSymbols:
				base.RequireSymbols = p.RequireSymbols
			case steps.FieldAllowChange:
				base.AllowUsersToChange = p.AllowUsersToChange
			case steps.FieldHardExpiry:
				base.HardExpiry = p.HardExpiry
			}
		}
		return base
	}
	check := func(set map[string]bool) error {
		someField := false
		for _, f := range fields {
			someField = someField || set[f]
		}
		switch *preset {
		case steps.PresetRecommended, steps.PresetStrict, steps.PresetCustom:
		case "":
			if !someField {
				return fmt.Errorf("choose --preset recommended, strict or custom (custom starts from the current policy, or from recommended when none is set; change fields with flags such as --%s 16)", steps.FieldMinLength)
			}
			*preset = steps.PresetCustom
		default:
			return fmt.Errorf("--preset must be recommended, strict or custom (got %q)", *preset)
		}
		// Ranges of the given numbers, before any AWS call.
		var es steps.FieldErrors
		given := merge(steps.PasswordPresetRecommended, set)
		for _, fe := range steps.ValidatePasswordPolicy(given) {
			if set[fe.Field] {
				es = append(es, fe)
			}
		}
		return es.Err()
	}
	plan := func(ctx context.Context, f *steps.Facts, set map[string]bool) (fixPlan, error) {
		cur, err := steps.CurrentPasswordPolicy(ctx, f)
		if err != nil {
			return fixPlan{}, err
		}
		var notes []string
		base, named := steps.PasswordPreset(*preset)
		switch {
		case named:
		case cur != nil: // custom: start from the current policy
			base = *cur
		default: // custom with no policy set: start from recommended, as the wizard does
			base = steps.PasswordPresetRecommended
			notes = append(notes, "No password policy is set, so custom starts from the recommended preset.")
		}
		target := merge(base, set)
		if named {
			var changed []string
			for _, name := range fields {
				if set[name] && merge(base, map[string]bool{name: true}) != base {
					changed = append(changed, "--"+name)
				}
			}
			if len(changed) > 0 {
				notes = append(notes, fmt.Sprintf("%s changes the %s preset: the result is a custom policy, no longer %q.", strings.Join(changed, ", "), *preset, *preset))
			}
		}
		if es := steps.ValidatePasswordPolicy(target); len(es) > 0 {
			return fixPlan{}, es
		}
		return fixPlan{Plan: steps.PlanPasswordPolicy(cur, target), Notes: notes}, nil
	}
	return check, plan
}

// Alternate contacts.

type contactFlags struct {
	name, title, email, phone string
	sameAsSecurity            bool
}

func setupAlternateContacts(fs *flag.FlagSet) (func(map[string]bool) error, planFunc) {
	flags := map[awsops.ContactType]*contactFlags{}
	for _, t := range awsops.ContactTypes {
		cf := &contactFlags{}
		flags[t] = cf
		word := strings.ToLower(string(t))
		fs.StringVar(&cf.name, steps.ContactFieldKey(t, "name"), "", word+" contact's name (1–64 characters)")
		fs.StringVar(&cf.title, steps.ContactFieldKey(t, "title"), "", word+" contact's title (1–50 characters)")
		fs.StringVar(&cf.email, steps.ContactFieldKey(t, "email"), "", word+" contact's email address")
		fs.StringVar(&cf.phone, steps.ContactFieldKey(t, "phone"), "", word+" contact's phone (digits, spaces, ( ) + -)")
		if t != awsops.ContactSecurity {
			fs.BoolVar(&cf.sameAsSecurity, word+"-same-as-security", false, "use the security contact's details for the "+word+" contact")
		}
	}
	parts := []string{"name", "title", "email", "phone"}
	given := func(t awsops.ContactType, set map[string]bool) bool {
		for _, part := range parts {
			if set[steps.ContactFieldKey(t, part)] {
				return true
			}
		}
		return false
	}
	check := func(set map[string]bool) error {
		var es steps.FieldErrors
		anyType := false
		for _, t := range awsops.ContactTypes {
			cf := flags[t]
			word := strings.ToLower(string(t))
			if cf.sameAsSecurity && given(t, set) {
				es = append(es, steps.FieldError{Field: word + "-same-as-security", Message: "cannot be combined with --" + word + "-… fields"})
			}
			anyType = anyType || cf.sameAsSecurity || given(t, set)
			c := steps.NormalizeAlternateContact(awsops.AlternateContact{Type: t, Name: cf.name, Title: cf.title, Email: cf.email, Phone: cf.phone})
			for _, fe := range steps.ValidateAlternateContact(c) {
				if set[fe.Field] { // only the given fields here; the rest may come from current values
					es = append(es, fe)
				}
			}
		}
		if !anyType {
			return errors.New("give at least one contact, e.g. --security-name … --security-title … --security-email … --security-phone …")
		}
		return es.Err()
	}
	plan := func(ctx context.Context, f *steps.Facts, set map[string]bool) (fixPlan, error) {
		cur, readErr := steps.CurrentAlternateContacts(ctx, f)
		if awsops.KindOf(readErr) == awsops.KindCanceled || awsops.KindOf(readErr) == awsops.KindCredentials {
			return fixPlan{}, readErr
		}
		want := map[awsops.ContactType]awsops.AlternateContact{}
		var kept []steps.Evidence
		for _, t := range awsops.ContactTypes {
			if !given(t, set) {
				continue
			}
			// Start from the current values, so a single field can change.
			c := awsops.AlternateContact{Type: t}
			if cc := cur[t]; cc != nil {
				c = *cc
			}
			cf := flags[t]
			for _, part := range parts {
				if !set[steps.ContactFieldKey(t, part)] {
					if v := contactPart(c, part); v != "" {
						kept = append(kept, steps.Evidence{Key: strings.ToLower(string(t)) + " " + part, Value: v})
					}
					continue
				}
				switch part {
				case "name":
					c.Name = cf.name
				case "title":
					c.Title = cf.title
				case "email":
					c.Email = cf.email
				case "phone":
					c.Phone = cf.phone
				}
			}
			want[t] = steps.NormalizeAlternateContact(c)
		}
		for _, t := range awsops.ContactTypes {
			if !flags[t].sameAsSecurity {
				continue
			}
			sec, ok := want[awsops.ContactSecurity]
			if !ok && cur[awsops.ContactSecurity] != nil {
				sec, ok = *cur[awsops.ContactSecurity], true
			}
			if !ok {
				return fixPlan{}, steps.FieldErrors{{Field: strings.ToLower(string(t)) + "-same-as-security", Message: "there is no security contact to copy: give --security-… fields too"}}
			}
			want[t] = steps.SameAsSecurity(sec, t)
		}
		var list []awsops.AlternateContact
		var es steps.FieldErrors
		for _, t := range awsops.ContactTypes {
			if c, ok := want[t]; ok {
				list = append(list, c)
				es = append(es, steps.ValidateAlternateContact(c)...)
			}
		}
		if len(es) > 0 {
			return fixPlan{}, es
		}
		p := steps.PlanAlternateContacts(cur, list)
		if readErr != nil && len(p.Calls) == 0 {
			return fixPlan{}, readErr
		}
		return fixPlan{Plan: p, Kept: kept}, nil
	}
	return check, plan
}

// contactPart is one part of an alternate contact by its flag word.
func contactPart(c awsops.AlternateContact, part string) string {
	switch part {
	case "name":
		return c.Name
	case "title":
		return c.Title
	case "email":
		return c.Email
	case "phone":
		return c.Phone
	}
	return ""
}

// Contact information.

func setupContactInfo(fs *flag.FlagSet) (func(map[string]bool) error, planFunc) {
	var given awsops.ContactInfo
	usage := map[string]string{
		steps.FieldFullName: "full name (1–50)", steps.FieldCompany: "company name (optional)",
		steps.FieldAddressLine1: "address line 1 (1–60)", steps.FieldAddressLine2: "address line 2 (optional; \"\" clears it)",
		steps.FieldAddressLine3: "address line 3 (optional; \"\" clears it)", steps.FieldCity: "city (1–50)",
		steps.FieldState: "state or region (required for US, CA, GB, DE, JP, IN, BR)", steps.FieldDistrict: "district or county (optional)",
		steps.FieldPostalCode: "postal code (1–20)", steps.FieldCountryCode: "two-letter country code (ISO 3166), e.g. US",
		steps.FieldPhone: "phone starting with + and the country code, e.g. +1 206 555 0100", steps.FieldWebsite: "website URL (optional)",
	}
	keys := steps.ContactInfoKeys()
	for _, k := range keys {
		fs.StringVar(steps.ContactInfoField(&given, k.Key), k.Key, "", usage[k.Key])
	}
	check := func(set map[string]bool) error {
		if !anyKey(set, keys) {
			return errors.New("give the contact details to set, e.g. --full-name … --phone +…; fields you leave out keep their current values")
		}
		n := steps.NormalizeContactInfo(given)
		var es steps.FieldErrors
		for _, fe := range steps.ValidateContactInfo(n) {
			// Only the given fields here; the state rule needs the final country.
			if set[fe.Field] && fe.Field != steps.FieldState {
				es = append(es, fe)
			}
		}
		return es.Err()
	}
	plan := func(ctx context.Context, f *steps.Facts, set map[string]bool) (fixPlan, error) {
		cur, err := steps.CurrentContactInfo(ctx, f)
		if err != nil {
			return fixPlan{}, err
		}
		var want awsops.ContactInfo
		if cur != nil {
			want = *cur
		}
		for _, k := range keys {
			if set[k.Key] {
				*steps.ContactInfoField(&want, k.Key) = *steps.ContactInfoField(&given, k.Key)
			}
		}
		want = steps.NormalizeContactInfo(want)
		if es := steps.ValidateContactInfo(want); len(es) > 0 {
			if cur == nil {
				es = append(es, steps.FieldError{Message: "no contact information is on file yet, so every required field must be given"})
			}
			return fixPlan{}, es
		}
		// PutContactInformation replaces the whole record: the fields left
		// out are sent again with their current values. Say which.
		var kept []steps.Evidence
		for _, k := range keys {
			if v := *steps.ContactInfoField(&want, k.Key); !set[k.Key] && v != "" {
				kept = append(kept, steps.Evidence{Key: k.Value, Value: v})
			}
		}
		return fixPlan{Plan: steps.PlanContactInfo(cur, want), Kept: kept}, nil
	}
	return check, plan
}

func anyKey(set map[string]bool, keys []steps.Evidence) bool {
	for _, k := range keys {
		if set[k.Key] {
			return true
		}
	}
	return false
}
