package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// The root-access-keys fix, when rootguard runs as the root user (CloudShell
// as root, or a root access key): deactivate, then delete, root's access
// keys other than the one rootguard runs on. Any other caller gets the
// item's console steps: IAM's key calls without a user name act on the
// caller, so only root can do this through the API.

// Fields and values of the root-access-keys fix.
const (
	FixRootAccessKeys   = "root-access-keys"
	FieldRootKey        = "key"
	FieldKeyAction      = "action"
	KeyActionDeactivate = "deactivate"
	KeyActionDelete     = "delete"
)

// recentKeyUse is how recent a key's last use must be for the plan to warn
// that something still uses it.
const recentKeyUse = 30 * 24 * time.Hour

// rootKeysState is what the fix plans from.
type rootKeysState struct {
	Identity awsops.Identity
	Keys     []awsops.AccessKey // every root key, the one in use too (nil unless root)
	Now      time.Time
}

func rootAccessKeysFix() Fix {
	return NewFix(FixDef[rootKeysState]{
		ID:      FixRootAccessKeys,
		Title:   "Deactivate or delete root access keys",
		Summary: "deactivate, then delete, root's access keys other than the one in use (as root only)",
		Intro: "rootguard lists the root user's access keys with where they were last used, and deactivates or deletes one after you type its last four characters. " +
			"It never touches the key it runs on.",
		Needs:  "run rootguard as the root user",
		Writes: []string{"iam:ListAccessKeys", "iam:GetAccessKeyLastUsed", "iam:UpdateAccessKey", "iam:DeleteAccessKey"},
		Load:   loadRootKeys,
		Form:   rootKeysForm,
		Plan:   planRootKeys,
	})
}

func loadRootKeys(ctx context.Context, f *Facts) (rootKeysState, error) {
	id, err := f.Identity(ctx)
	if err != nil {
		return rootKeysState{}, err
	}
	st := rootKeysState{Identity: id, Now: f.Now()}
	if !id.IsRoot {
		// Listing keys without a user name would list the caller's own keys:
		// read nothing, and let Plan say why.
		return st, nil
	}
	dir, ok := f.Source().(awsops.RootKeyDirectory)
	if !ok {
		return st, errors.New("internal error: this account cannot list root access keys")
	}
	st.Keys, err = dir.RootAccessKeys(ctx, id)
	return st, err
}

// inUse is the key rootguard runs on, if it is one of root's keys.
func (st rootKeysState) inUse() *awsops.AccessKey {
	for i := range st.Keys {
		if st.Keys[i].ID == st.Identity.AccessKeyID {
			return &st.Keys[i]
		}
	}
	return nil
}

// others are root's keys rootguard may touch: every one but the one in use.
func (st rootKeysState) others() []awsops.AccessKey {
	var out []awsops.AccessKey
	for _, k := range st.Keys {
		if k.ID != st.Identity.AccessKeyID {
			out = append(out, k)
		}
	}
	return out
}

// keyChoice is the value that picks a key: its last four characters, or
// more when two keys share them.
func keyChoice(k awsops.AccessKey, all []awsops.AccessKey) string {
	for n := 4; n < len(k.ID); n++ {
		suffix := k.ID[len(k.ID)-n:]
		unique := true
		for _, o := range all {
			if o.ID != k.ID && strings.HasSuffix(o.ID, suffix) {
				unique = false
			}
		}
		if unique {
			return suffix
		}
	}
	return k.ID
}

// lastFour is the end of a key ID that is safe to show.
func lastFour(id string) string {
	if len(id) < 4 {
		return id
	}
	return id[len(id)-4:]
}

// keyLine describes a key in one line: "AKIA…WXYZ, active, last used
// 2026-11-18 (ec2 in us-east-1)".
func keyLine(k awsops.AccessKey) string {
	state := "inactive"
	if k.Active {
		state = "active"
	}
	use := "never used"
	if !k.LastUsed.IsZero() {
		use = "last used " + fmtDay(k.LastUsed) + " (" + orText(k.LastUsedService, "an unknown service") + " in " + orText(k.LastUsedRegion, "a global region") + ")"
	}
	return awsops.MaskKey(k.ID) + ", " + state + ", " + use
}

// rootKeysForm asks which key and what to do with it. Before the account
// is read the key has no options; when there is nothing to choose (not
// root, or no key but the one in use) nothing is asked and Plan explains.
func rootKeysForm(st *rootKeysState) []Group {
	key := Field{Key: FieldRootKey, Kind: FieldSelect, Label: "Which root access key?",
		Help: "the key's last four characters; the key rootguard runs on is never offered"}
	action := Field{Key: FieldKeyAction, Kind: FieldSelect, Label: "What should happen to it?", Default: KeyActionDeactivate,
		Help: "deactivate first and watch for a few days; delete when nothing broke",
		Options: []Option{
			{Value: KeyActionDeactivate, Label: "Deactivate: it stops working and can be turned back on"},
			{Value: KeyActionDelete, Label: "Delete: gone for good (an active key is deactivated first)"},
		}}
	help := "You see the exact calls before anything is written, and confirm by typing the key's last four characters."
	if st != nil {
		others := st.others()
		if !st.Identity.IsRoot || len(others) == 0 {
			return nil
		}
		for _, k := range others {
			label := keyLine(k)
			if c := keyChoice(k, st.Keys); len(c) > 4 {
				label += " (ends in " + c + ": another key ends in " + lastFour(k.ID) + " too)"
			}
			key.Options = append(key.Options, Option{Value: keyChoice(k, st.Keys), Label: label})
		}
		key.Default = key.Options[0].Value
		if !others[0].Active {
			action.Default = KeyActionDelete
		}
		if k := st.inUse(); k != nil {
			help = "rootguard runs on root key " + awsops.MaskKey(k.ID) + ": it is not offered and never touched. " + help
		}
	}
	return []Group{{Title: "Root access keys", Help: help, Fields: []Field{key, action}}}
}

// removeInUseKey says how to remove the key rootguard runs on.
func removeInUseKey(k awsops.AccessKey) string {
	return "rootguard runs on root key " + awsops.MaskKey(k.ID) + " and never touches it. To remove it afterwards: " +
		"switch rootguard and your tools to another identity (e.g. the administrator from admin-identity), " +
		"then sign in to the console as root → Security credentials → Access keys, deactivate it, and delete it."
}

func planRootKeys(st rootKeysState, in Input) (Plan, error) {
	if !st.Identity.IsRoot {
		return Plan{}, fmt.Errorf("only the root user can change root access keys through the API, and rootguard runs as %s: "+
			"run rootguard as the root user (e.g. CloudShell signed in as root), or follow the console steps for this item",
			orText(st.Identity.ARN, "another identity"))
	}
	if st.Identity.AccessKeyID == "" {
		return Plan{}, errors.New("rootguard cannot tell which access key it runs on, so it touches no root key: follow the console steps for this item")
	}
	inUse, others := st.inUse(), st.others()
	p := Plan{ItemID: FixRootAccessKeys, Title: "Deactivate or delete a root access key"}
	if inUse != nil {
		p.Notes = append(p.Notes, removeInUseKey(*inUse))
	}
	if len(others) == 0 {
		p.NoOp = true
		if inUse == nil {
			p.Notes = append(p.Notes, "The root user has no access keys.")
		}
		return p, nil
	}

	key, err := pickRootKey(st, in.Text(FieldRootKey))
	if err != nil {
		return Plan{}, err
	}
	action := in.Text(FieldKeyAction)
	if action != KeyActionDeactivate && action != KeyActionDelete {
		return Plan{}, FieldErrors{{Field: FieldKeyAction, Message: fmt.Sprintf("must be %s or %s (got %q)", KeyActionDeactivate, KeyActionDelete, action)}}
	}
	masked := awsops.MaskKey(key.ID)
	caller := st.Identity
	state := "inactive"
	if key.Active {
		state = "active"
	}
	if action == KeyActionDeactivate && !key.Active {
		p.NoOp = true
		p.Notes = append(p.Notes, masked+" is already inactive; choose delete to remove it for good.")
		return p, nil
	}

	deactivate := NewCall("iam:UpdateAccessKey", "inactive status of root key "+masked,
		[]Evidence{kv("AccessKeyId", masked), kv("Status", "Inactive"), kv("UserName", "(none: the caller, root)")},
		func(ctx context.Context, w awsops.Writer) error {
			kw, err := rootKeyWriter(w)
			if err != nil {
				return err
			}
			return kw.DeactivateRootAccessKey(ctx, caller, key.ID)
		})
	remove := NewCall("iam:DeleteAccessKey", "deletion of root key "+masked,
		[]Evidence{kv("AccessKeyId", masked), kv("UserName", "(none: the caller, root)")},
		func(ctx context.Context, w awsops.Writer) error {
			kw, err := rootKeyWriter(w)
			if err != nil {
				return err
			}
			return kw.DeleteRootAccessKey(ctx, caller, key.ID)
		})

	switch action {
	case KeyActionDeactivate:
		p.Title = "Deactivate root access key " + masked
		p.Calls = []Call{deactivate}
		p.Changes = []Change{{Field: "root key " + masked, Current: state, Proposed: "inactive"}}
		p.record = "deactivated root access key " + masked
		p.Notes = append(p.Notes, "Watch for a few days whether anything breaks, then run this fix again to delete it. Until then it can be turned back on in the console.")
	case KeyActionDelete:
		p.Title = "Delete root access key " + masked
		p.Changes = []Change{{Field: "root key " + masked, Current: state, Proposed: "deleted"}}
		p.record = "deleted root access key " + masked
		p.Warnings = append(p.Warnings, "Deleting cannot be undone: a deleted key is gone for good.")
		if key.Active {
			// Deactivate first, and do not undo it when the delete fails: the
			// user agreed to the key no longer working (deleting implies it),
			// an inactive root key is strictly safer than an active one, and
			// turning a root credential back on by itself is the riskiest write
			// rootguard could make. The result says the key is inactive and not
			// deleted; running the fix again deletes it.
			p.Calls = []Call{deactivate, remove}
		} else {
			p.Calls = []Call{remove}
		}
	}
	if !key.LastUsed.IsZero() && st.Now.Sub(key.LastUsed) < recentKeyUse {
		p.Warnings = append(p.Warnings, fmt.Sprintf("%s was used %s by %s in %s: whatever uses it stops working. Move that use to another identity first.",
			masked, ago(st.Now, key.LastUsed), orText(key.LastUsedService, "an unknown service"), orText(key.LastUsedRegion, "a global region")))
	}
	// The last four characters, or more when another root key shares them
	// (then AKIA…WXYZ alone does not say which key this is).
	want := keyChoice(key, st.Keys)
	p.Confirm = &TypedConfirm{Prompt: fmt.Sprintf("Type the last %d characters of %s to %s it", len(want), masked, action), Want: want}
	return p, nil
}

// ago says how long ago t was, in days ("today" under a day).
func ago(now, t time.Time) string {
	switch d := daysSince(now, t); d {
	case 0:
		return "today"
	case 1:
		return "1 day ago"
	default:
		return fmt.Sprintf("%d days ago", d)
	}
}

// pickRootKey finds the key the user chose by the end of its ID.
func pickRootKey(st rootKeysState, choice string) (awsops.AccessKey, error) {
	choice = strings.ToUpper(strings.TrimSpace(choice))
	var names []string
	for _, k := range st.others() {
		names = append(names, keyChoice(k, st.Keys)+" ("+awsops.MaskKey(k.ID)+")")
	}
	if len(choice) < 4 {
		return awsops.AccessKey{}, FieldErrors{{Field: FieldRootKey, Message: "give at least the key's last four characters: " + strings.Join(names, ", ")}}
	}
	if in := st.inUse(); in != nil && strings.HasSuffix(in.ID, choice) {
		return awsops.AccessKey{}, FieldErrors{{Field: FieldRootKey, Message: "is the key rootguard runs on (" + awsops.MaskKey(in.ID) + "), which it never touches; " +
			"remove it in the console after switching rootguard to another identity"}}
	}
	var found []awsops.AccessKey
	for _, k := range st.others() {
		if strings.HasSuffix(k.ID, choice) {
			found = append(found, k)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		shown := choice
		if len(shown) > 4 {
			shown = "…" + lastFour(shown) // never echo a whole key ID
		}
		return awsops.AccessKey{}, FieldErrors{{Field: FieldRootKey, Message: "no other root key ends in " + shown + "; choose one of: " + strings.Join(names, ", ")}}
	}
	return awsops.AccessKey{}, FieldErrors{{Field: FieldRootKey, Message: "matches more than one key; give more of its last characters: " + strings.Join(names, ", ")}}
}

func rootKeyWriter(w awsops.Writer) (awsops.RootKeyWriter, error) {
	kw, ok := w.(awsops.RootKeyWriter)
	if !ok {
		return nil, errors.New("internal error: this account cannot change root access keys")
	}
	return kw, nil
}
