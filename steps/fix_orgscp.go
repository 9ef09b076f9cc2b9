package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

// The org-root-scp fix, in the organization's management account: a
// service control policy that denies member-account root every action
// (except centralized root sessions), attached to the organization root or
// to the OUs the user picks. SCPs are enabled first when they are off (AWS
// does that asynchronously: the writer waits). rootguard's policy is found
// by its name and reused, or repaired when its content was changed.

// Names of the org-root-scp fix.
const (
	FixOrgRootSCP   = "org-root-scp"
	FieldSCPTargets = "targets"
	// RootDenySCPName is the name of the policy rootguard creates.
	RootDenySCPName = "rootguard-deny-member-root"
	rootDenySCPDesc = "Denies every action to the root user of member accounts, except root sessions from the management account (sts:AssumeRoot). Created by rootguard."
)

// RootDenySCP is the policy document: deny every action when the principal
// is a root user (ArnLike, so the account wildcard matches), unless the
// request comes from a centralized root session (aws:AssumedRoot is set).
func RootDenySCP(partition string) string {
	type statement struct {
		Sid       string
		Effect    string
		Action    string
		Resource  string
		Condition map[string]map[string]string
	}
	doc := struct {
		Version   string
		Statement []statement
	}{Version: "2012-10-17", Statement: []statement{{
		Sid: "DenyMemberAccountRoot", Effect: "Deny", Action: "*", Resource: "*",
		Condition: map[string]map[string]string{
			"ArnLike": {"aws:PrincipalArn": "arn:" + orText(partition, "aws") + ":iam::*:root"},
			"Null":    {"aws:AssumedRoot": "true"},
		},
	}}}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err) // static data
	}
	return string(b)
}

// sameDocument reports whether two policy documents say the same (JSON
// equal, whatever the spacing).
func sameDocument(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// orgSCPState is what the org-root-scp fix plans from.
type orgSCPState struct {
	orgCaller
	Root     awsops.OrgRoot
	Units    []awsops.OrgUnit    // every OU, parents first
	Accounts []awsops.OrgAccount // every account, with its ancestry
	SCPs     []awsops.SCP        // every SCP, judged as the check judges them
	// Existing is rootguard's policy (by name), nil when there is none.
	Existing *existingSCP
}

type existingSCP struct {
	ID, Content string
	Targets     []string
}

func orgRootSCPFix() Fix {
	return NewFix(FixDef[orgSCPState]{
		ID:      FixOrgRootSCP,
		Title:   "Block root in member accounts with an SCP",
		Summary: "attach an SCP that denies member-account root, to the organization root or chosen OUs (management account)",
		Intro: "Create a service control policy that denies every action to the root user of member accounts (root sessions from the management account stay allowed) and attach it to the organization root or to the OUs you pick. " +
			"You see the policy and the member accounts it covers before anything is written; the management account is never affected by SCPs.",
		Needs: needsManagement,
		Reads: "the organization's root, OUs, accounts and service control policies",
		Writes: []string{"organizations:ListRoots", "organizations:ListOrganizationalUnitsForParent", "organizations:EnablePolicyType",
			"organizations:CreatePolicy", "organizations:UpdatePolicy", "organizations:AttachPolicy", "organizations:DetachPolicy", "organizations:DeletePolicy"},
		Load: loadOrgSCP,
		Form: orgSCPForm,
		Plan: planOrgRootSCP,
	})
}

func loadOrgSCP(ctx context.Context, f *Facts) (orgSCPState, error) {
	c, err := loadOrgCaller(ctx, f)
	st := orgSCPState{orgCaller: c}
	if err != nil || c.notAvailable(FixOrgRootSCP) != nil {
		return st, err // Plan says why the fix is not available
	}
	dir, ok := f.Source().(awsops.OrgDirectory)
	if !ok {
		return st, errors.New("internal error: this account cannot read its organization")
	}
	var rootErr, accountsErr, scpsErr error
	concurrently(
		func() { st.Root, rootErr = dir.OrganizationRoot(ctx) },
		func() { st.Accounts, accountsErr = f.OrganizationAccounts(ctx) },
		func() { st.SCPs, scpsErr = f.ServiceControlPolicies(ctx) },
	)
	if err := firstErr(rootErr, accountsErr, scpsErr); err != nil {
		return st, err
	}
	var unitsErr, contentErr error
	concurrently(
		func() { st.Units, unitsErr = dir.OrganizationalUnits(ctx, st.Root.ID) },
		func() {
			for _, p := range st.SCPs {
				if p.Name != RootDenySCPName {
					continue
				}
				var content string
				content, contentErr = dir.PolicyContent(ctx, p.ID)
				st.Existing = &existingSCP{ID: p.ID, Content: content, Targets: slices.Clone(p.Targets)}
				return
			}
		},
	)
	return st, firstErr(unitsErr, contentErr)
}

// members are the accounts SCPs can apply to: every active account but
// the management account (as the check counts them).
func (st orgSCPState) members() []awsops.OrgAccount {
	var out []awsops.OrgAccount
	for _, a := range st.Accounts {
		if a.ID != st.Org.ManagementAccountID && (a.State == "" || a.State == "ACTIVE" || a.State == "PENDING_ACTIVATION") {
			out = append(out, a)
		}
	}
	return out
}

// under lists the members a policy attached to these targets applies to.
func under(members []awsops.OrgAccount, targets map[string]bool) (in, out []awsops.OrgAccount) {
	for _, m := range members {
		if targets[m.ID] || slices.ContainsFunc(m.Ancestors, func(a string) bool { return targets[a] }) {
			in = append(in, m)
		} else {
			out = append(out, m)
		}
	}
	return in, out
}

func accountNames(accts []awsops.OrgAccount) []string {
	names := make([]string, len(accts))
	for i, a := range accts {
		names[i] = a.ID
		if a.Name != "" {
			names[i] += " (" + a.Name + ")"
		}
	}
	return names
}

// unitPath is an OU's name with its parents': "Production / Web".
func (st orgSCPState) unitPath(id string) string {
	var parts []string
	for range maxOUPathDepth {
		i := slices.IndexFunc(st.Units, func(u awsops.OrgUnit) bool { return u.ID == id })
		if i < 0 {
			break
		}
		parts = append([]string{orText(st.Units[i].Name, st.Units[i].ID)}, parts...)
		id = st.Units[i].ParentID
	}
	return strings.Join(parts, " / ")
}

const maxOUPathDepth = 8

// targetName says what a target is: "the organization root (r-a1b2)",
// "OU Production (ou-…)".
func (st orgSCPState) targetName(id string) string {
	if id == st.Root.ID {
		return "the organization root (" + id + ")"
	}
	return "OU " + st.unitPath(id) + " (" + id + ")"
}

// targetOptions are the root and every OU, each with how many member
// accounts it holds.
func (st orgSCPState) targetOptions() []Option {
	members := st.members()
	count := func(id string) string {
		in, _ := under(members, map[string]bool{id: true})
		return plural(len(in), "member account", "member accounts")
	}
	opts := []Option{{Value: st.Root.ID, Label: "Organization root (" + st.Root.ID + "): every account, " + count(st.Root.ID)}}
	for _, u := range st.Units {
		opts = append(opts, Option{Value: u.ID, Label: st.unitPath(u.ID) + " (" + u.ID + "): " + count(u.ID)})
	}
	return opts
}

func orgSCPForm(st *orgSCPState) []Group {
	field := Field{Key: FieldSCPTargets, Kind: FieldMulti, Label: "Attach the SCP to",
		Help: "r-… covers every member account (the default); ou-… the accounts under it",
		Validate: func(s string, _ Values) error {
			if len(SplitList(s)) == 0 {
				return errors.New("choose at least one: the organization root, or one or more OUs")
			}
			return nil
		}}
	if st != nil {
		if st.notAvailable(FixOrgRootSCP) != nil {
			return nil // nothing to ask: Plan says why
		}
		field.Options = st.targetOptions()
		field.Default = st.Root.ID
	}
	return []Group{{Title: "Where the SCP applies",
		Help:   "SCPs apply to the member accounts under the chosen targets and never to the management account. The organization root covers every member account, those added later too.",
		Fields: []Field{field}}}
}

// fullyDenied are the targets of SCPs that already deny root every action
// (as the check credits them).
func fullyDenied(scps []awsops.SCP) (map[string]bool, []string) {
	targets := map[string]bool{}
	var names []string
	for _, p := range scps {
		if p.DeniesRoot && len(p.RootDenyExcept) == 0 && len(p.NarrowedBy) == 0 && len(p.Targets) > 0 {
			names = append(names, orText(p.Name, p.ID))
			for _, t := range p.Targets {
				targets[t] = true
			}
		}
	}
	return targets, names
}

func planOrgRootSCP(st orgSCPState, in Input) (Plan, error) {
	if err := st.notAvailable(FixOrgRootSCP); err != nil {
		return Plan{}, err
	}
	if st.Root.SCPs == awsops.PolicyTypePendingDisable {
		return Plan{}, errors.New("service control policies are being disabled on the organization root right now; wait until that ends, then run the fix again")
	}
	p := Plan{ItemID: FixOrgRootSCP, Title: "Deny member-account root with the SCP " + RootDenySCPName}
	mgmt := "The management account (" + st.Org.ManagementAccountID + ") is never affected by SCPs: its own root user must be protected with MFA and kept unused (root-mfa, root-usage)."
	members := st.members()
	if len(members) == 0 {
		p.NoOp = true
		p.Notes = []string{"The organization has no member accounts, so there is no root user an SCP could restrict.", mgmt}
		return p, nil
	}

	// The targets the user chose, in the order of the options.
	chosen := map[string]bool{}
	var names []string
	for _, o := range st.targetOptions() {
		names = append(names, o.Value)
	}
	for _, t := range in.List(FieldSCPTargets) {
		if !slices.Contains(names, t) {
			return Plan{}, FieldErrors{{Field: FieldSCPTargets, Message: fmt.Sprintf("%q is not the organization root or one of its OUs; choose from %s", t, strings.Join(names, ", "))}}
		}
		chosen[t] = true
	}
	if len(chosen) == 0 {
		return Plan{}, FieldErrors{{Field: FieldSCPTargets, Message: "choose at least one: the organization root (" + st.Root.ID + "), or one or more OUs"}}
	}

	full, fullNames := fullyDenied(st.SCPs)
	if _, uncovered := under(members, full); len(uncovered) == 0 {
		p.NoOp = true
		p.Notes = []string{fmt.Sprintf("Every member account's root user is already denied every action by %s.", listOf(fullNames, 3)), mgmt}
		return p, nil
	}

	content := RootDenySCP(st.Identity.Partition)
	after := map[string]bool{}
	for t := range full {
		after[t] = true
	}
	ours := map[string]bool{}
	if st.Existing != nil {
		for _, t := range st.Existing.Targets {
			ours[t], after[t] = true, true
		}
	}
	var attach []string
	for _, t := range names { // option order
		if chosen[t] {
			after[t] = true
			if !ours[t] {
				attach = append(attach, t)
			}
		}
	}
	coveredBefore, _ := under(members, full)
	covered, uncovered := under(members, after)

	policyID := ""
	if st.Existing != nil {
		policyID = st.Existing.ID
	}
	idOf := func(out Outputs) string {
		if policyID != "" {
			return policyID
		}
		return out["policy"]
	}
	if st.Root.SCPs != awsops.PolicyTypeEnabled {
		rootID := st.Root.ID
		p.Calls = append(p.Calls, NewCall("organizations:EnablePolicyType", "service control policies on the organization root",
			[]Evidence{kv("RootId", rootID), kv("PolicyType", "SERVICE_CONTROL_POLICY")},
			func(ctx context.Context, w awsops.Writer) error {
				sw, err := scpWriter(w)
				if err != nil {
					return err
				}
				return sw.EnableSCPPolicyType(ctx, rootID)
			}))
		current := "off"
		if st.Root.SCPs == awsops.PolicyTypePendingEnable {
			current = "being enabled"
		}
		p.Changes = append(p.Changes, Change{Field: "Service control policies", Current: current, Proposed: "on"})
		p.Notes = append(p.Notes, "Enabling service control policies takes AWS a few seconds: rootguard waits until AWS reports them on. "+
			"On its own this denies nothing (AWS attaches FullAWSAccess everywhere), so it stays on if a later call fails.")
	}
	switch {
	case st.Existing == nil:
		p.Calls = append(p.Calls, NewCallOut("organizations:CreatePolicy", "SCP "+RootDenySCPName,
			[]Evidence{kv("Name", RootDenySCPName), kv("Type", "SERVICE_CONTROL_POLICY"), kv("Description", rootDenySCPDesc), kv("Content", content)},
			func(ctx context.Context, w awsops.Writer, out Outputs) error {
				sw, err := scpWriter(w)
				if err != nil {
					return err
				}
				id, err := sw.CreateSCP(ctx, awsops.NewSCP{Name: RootDenySCPName, Description: rootDenySCPDesc, Content: content})
				if err != nil {
					return err
				}
				out["policy"] = id
				return nil
			}).WithUndo(NewCallOut("organizations:DeletePolicy", "SCP deleted", nil,
			func(ctx context.Context, w awsops.Writer, out Outputs) error {
				sw, err := scpWriter(w)
				if err != nil {
					return err
				}
				return sw.DeleteSCP(ctx, out["policy"])
			})))
		p.Changes = append(p.Changes, Change{Field: "SCP " + RootDenySCPName, Current: shownNotSet, Proposed: "created: denies member-account root every action"})
	case !sameDocument(st.Existing.Content, content):
		old := st.Existing.Content
		p.Calls = append(p.Calls, NewCall("organizations:UpdatePolicy", "content of SCP "+RootDenySCPName,
			[]Evidence{kv("PolicyId", policyID), kv("Content", content)},
			func(ctx context.Context, w awsops.Writer) error {
				sw, err := scpWriter(w)
				if err != nil {
					return err
				}
				return sw.UpdateSCPContent(ctx, policyID, content)
			}).WithUndo(NewCall("organizations:UpdatePolicy", "SCP content restored", nil,
			func(ctx context.Context, w awsops.Writer) error {
				sw, err := scpWriter(w)
				if err != nil {
					return err
				}
				return sw.UpdateSCPContent(ctx, policyID, old)
			})))
		p.Changes = append(p.Changes, Change{Field: "SCP " + RootDenySCPName + " (" + policyID + ")", Current: "content changed since rootguard made it", Proposed: "rootguard's content again"})
		if len(st.Existing.Targets) > 0 {
			p.Warnings = append(p.Warnings, "The policy "+RootDenySCPName+" is attached to "+strings.Join(st.Existing.Targets, ", ")+" already: its new content applies there too.")
		}
	default:
		p.Kept = append(p.Kept, kv("SCP "+RootDenySCPName, policyID+", reused (same content)"))
	}
	for _, t := range attach {
		target, name := t, st.targetName(t)
		p.Calls = append(p.Calls, NewCallOut("organizations:AttachPolicy", "attachment to "+name,
			[]Evidence{kv("PolicyId", orText(policyID, "(the new policy's ID)")), kv("TargetId", target)},
			func(ctx context.Context, w awsops.Writer, out Outputs) error {
				sw, err := scpWriter(w)
				if err != nil {
					return err
				}
				return sw.AttachSCP(ctx, idOf(out), target)
			}).WithUndo(NewCallOut("organizations:DetachPolicy", "detached from "+name, nil,
			func(ctx context.Context, w awsops.Writer, out Outputs) error {
				sw, err := scpWriter(w)
				if err != nil {
					return err
				}
				return sw.DetachSCP(ctx, idOf(out), target)
			})))
	}
	if len(p.Calls) == 0 {
		// Everything chosen already has the policy; the rest is elsewhere.
		p.NoOp = true
		p.Notes = []string{"The policy " + RootDenySCPName + " is already attached to every target you chose.", mgmt}
		p.Warnings = []string{notCovered(uncovered)}
		return p, nil
	}
	var attachedNames []string
	for _, t := range attach {
		attachedNames = append(attachedNames, st.targetName(t))
	}
	if len(attach) > 0 {
		current := "(nowhere)"
		if len(ours) > 0 {
			current = strings.Join(st.Existing.Targets, ", ")
		}
		p.Changes = append(p.Changes, Change{Field: "Attached to", Current: current, Proposed: strings.Join(append(slices.Clone(st.existingTargets()), attach...), ", ")})
	}
	p.Changes = append(p.Changes, Change{Field: "Member accounts whose root is denied",
		Current: fmt.Sprintf("%d of %d", len(coveredBefore), len(members)), Proposed: fmt.Sprintf("%d of %d", len(covered), len(members))})
	p.Notes = append(p.Notes,
		"Covers "+plural(len(covered), "member account", "member accounts")+": "+listOf(accountNames(covered), 10)+".",
		mgmt,
		"Root sessions from the management account (sts:AssumeRoot, centralized root access) stay allowed: the condition Null aws:AssumedRoot exempts them.")
	if st.Existing == nil {
		p.Notes = append(p.Notes, "If a later call fails, the policy this run created is detached and deleted again.")
	}
	p.Warnings = append(p.Warnings, "While it is attached, the root user of each covered member account can do nothing at all, including root-only tasks such as closing the account: "+
		"detach the SCP for such a task, or use a root session from the management account.")
	if len(uncovered) > 0 {
		p.Warnings = append(p.Warnings, notCovered(uncovered))
	}
	p.Confirm = st.confirmManagement("attach the SCP")
	verb := "attached SCP " + RootDenySCPName
	if st.Existing == nil {
		verb = "created SCP " + RootDenySCPName + " and attached it"
	}
	if len(attach) == 0 {
		verb = "restored the content of SCP " + RootDenySCPName
	} else {
		verb += " to " + listOf(attachedNames, 3)
	}
	p.record = fmt.Sprintf("%s: %d of %d member accounts covered", verb, len(covered), len(members))
	return p, nil
}

func (st orgSCPState) existingTargets() []string {
	if st.Existing == nil {
		return nil
	}
	return st.Existing.Targets
}

func notCovered(uncovered []awsops.OrgAccount) string {
	return "Not covered by the targets you chose: " + listOf(accountNames(uncovered), 5) +
		". Their root users stay unrestricted and the item keeps warning; choose the organization root to cover every member account."
}

func scpWriter(w awsops.Writer) (awsops.SCPWriter, error) {
	sw, ok := w.(awsops.SCPWriter)
	if !ok {
		return nil, errors.New("internal error: this account cannot change service control policies")
	}
	return sw, nil
}
