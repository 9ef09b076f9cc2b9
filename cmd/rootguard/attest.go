package main

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/rootguard/rootguard/steps"
)

const attestLong = `Mark an item done that no API can verify (the root password, the root
email, recovery details, split custody), as the wizard's m does; --undo
takes the mark back, as its u does. The mark is kept in the account's saved
progress, so check, report, history and the wizard show the item as
attested (the root password's mark holds for 90 days). A note says how or
where, e.g. --note "in the team vault"; it is saved with the mark, so never
put a secret in it.`

// maxAttestNote is the longest note accepted (a longer one is refused, never cut).
const maxAttestNote = 200

// attestOptions are the arguments and flags of `rootguard attest`.
type attestOptions struct {
	account accountFlags
	state   stateFlags
	item    string
	note    string
	undo    bool
}

func newAttestCmd(g *globalFlags, ios IOStreams, d deps) *cobra.Command {
	var o attestOptions
	c := &cobra.Command{
		Use:   "attest ITEM",
		Short: "mark an item no API can verify as done (or --undo), as the wizard's m and u",
		Long:  attestLong + "\n\n" + wrappedList("Items: ", attestIDs()),
		Example: `rootguard attest root-password --note "in the team vault"
rootguard --demo attest --undo root-email`,
		Args: func(_ *cobra.Command, args []string) error {
			switch len(args) {
			case 0:
				return usageErr("name the item to mark done, e.g. `rootguard attest root-password`; items: " + strings.Join(attestIDs(), ", "))
			case 1:
				return checkAttestItem(args[0])
			}
			return usageErr(fmt.Sprintf("unexpected argument %q: attest marks one item", args[1]))
		},
		RunE: func(c *cobra.Command, args []string) error {
			o.account, o.state, o.item = g.account, g.state, args[0]
			return runAttest(c.Context(), o, ios, d)
		},
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return itemCompletions(attestable), cobra.ShellCompDirectiveNoFileComp
		},
	}
	c.Flags().StringVar(&o.note, "note", "", fmt.Sprintf("how or where it was done (one line, at most %d characters; never a secret)", maxAttestNote))
	c.Flags().BoolVar(&o.undo, "undo", false, "take the mark back")
	_ = c.RegisterFlagCompletionFunc("note", cobra.NoFileCompletions)
	return c
}

// attestable: attest items, and live items whose check asks for a mark
// when the caller cannot see the answer (root-mfa-strength).
func attestable(it steps.Item) bool { return it.Kind == steps.KindAttest || it.MarkWhenUnseen }

func attestIDs() []string {
	var ids []string
	for _, it := range steps.All() {
		if attestable(it) {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

// checkAttestItem accepts only the items a mark can decide.
func checkAttestItem(id string) error {
	it, ok := steps.Lookup(id)
	if !ok {
		return unknownItem("", id, steps.IDs())
	}
	if !attestable(it) {
		return usageErr(fmt.Sprintf("%s is verified live, so it cannot be marked done; only these items can: %s", id, strings.Join(attestIDs(), ", ")))
	}
	return nil
}

// checkNote refuses a note that is too long or is not one line of text.
func checkNote(note string) error {
	if n := len([]rune(note)); n > maxAttestNote {
		return usageErr(fmt.Sprintf("--note: must be at most %d characters (this is %d)", maxAttestNote, n))
	}
	for _, r := range note {
		if unicode.IsControl(r) {
			return usageErr("--note: must be one line of text, without control characters")
		}
	}
	return nil
}

func runAttest(ctx context.Context, o attestOptions, ios IOStreams, d deps) error {
	if err := o.state.validate(o.account); err != nil {
		return err
	}
	if o.state.NoSave {
		return usageErr("attest saves a mark in the account's progress; --no-save would keep nothing")
	}
	if o.undo && o.note != "" {
		return usageErr("--note goes with a mark, not with --undo")
	}
	if err := checkNote(o.note); err != nil {
		return err
	}
	it, _ := steps.Lookup(o.item)
	key, err := historyAccount(ctx, o.account, "", ios, d)
	if err != nil {
		return err
	}
	st := openProgress(o.state, key, d, ios)
	if st == nil {
		return &exitError{code: exitFindings, msg: "the mark was not saved: the saved progress could not be opened"}
	}
	if !st.Saving() {
		return &exitError{code: exitFindings, msg: "the mark was not saved: the saved progress is read-only (see the warning above)"}
	}
	who := historyView{key: key}.accountName()
	if o.undo {
		if _, ok := st.Attestation(it.ID); !ok {
			_, err := fmt.Fprintf(ios.Out, "%s was not marked done in %s; nothing to undo.\n", it.ID, who)
			return err
		}
		if err := st.Unattest(it.ID); err != nil {
			return &exitError{code: exitFindings, msg: "the mark was not taken back: " + err.Error()}
		}
		_, err := fmt.Fprintf(ios.Out, "%s is no longer marked done in %s: %s.\n", it.ID, who, it.Title)
		return err
	}
	at := d.clock()()
	if err := st.Attest(it.ID, at, strings.TrimSpace(o.note)); err != nil {
		return &exitError{code: exitFindings, msg: "the mark was not saved: " + err.Error()}
	}
	line := fmt.Sprintf("✓ %s marked done in %s: %s", it.ID, who, it.Title)
	if it.AttestValidity > 0 {
		line += fmt.Sprintf(" (holds until %s)", at.Add(it.AttestValidity).Format("2006-01-02"))
	}
	_, err = fmt.Fprintln(ios.Out, line+".")
	return err
}
