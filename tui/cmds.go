package tui

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// Commands close over copies of what they need, never over the model.

// identityCmd reads who is calling, without the alias (aliasCmd reads it
// beside it), so the first screen never waits for the alias.
func identityCmd(ctx context.Context, r awsops.Reader, timeout time.Duration, gen int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		id, err := r.Caller(ctx)
		return identityMsg{Gen: gen, Identity: id, Err: err}
	}
}

// aliasCmd reads the account alias.
func aliasCmd(ctx context.Context, r awsops.Reader, timeout time.Duration, gen int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		alias, err := r.AccountAlias(ctx)
		return aliasMsg{Gen: gen, Alias: alias, Err: err}
	}
}

// checkCmd checks one item; for an open item with a fix it also builds the
// step's "what rootguard would change" (from the pass's cached reads).
func checkCmd(ctx context.Context, f *steps.Facts, it steps.Item, fix *steps.Fix, gen int, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		res := steps.CheckOne(ctx, f, it)
		var p fixPreview
		if fix != nil && res.Status.Open() {
			p = previewFix(ctx, f, *fix)
		}
		msg := checkDoneMsg{ID: it.ID, Gen: gen, Result: res, Preview: p}
		if a, ok := f.Attestation(it.ID); ok && it.Kind == steps.KindAttest {
			msg.Mark = &a
		}
		return msg
	}
}

// fixPreview is what a fix would change, shown on the item's step before
// the fix flow asks for any value: the fix's Intro and the plan of its
// default input.
type fixPreview struct {
	Intro    string
	Changes  []steps.Change
	Warnings []string
	Note     string // why no plan is shown, when that needs saying
}

// previewFix plans a fix with every field at its default. It never takes
// the wizard down: a broken fix is only a missing preview.
func previewFix(ctx context.Context, f *steps.Facts, fix steps.Fix) (p fixPreview) {
	p.Intro = fix.Intro
	if p.Intro == "" && fix.Summary != "" {
		p.Intro = strings.ToUpper(fix.Summary[:1]) + fix.Summary[1:] + "."
	}
	defer func() {
		if recover() != nil {
			p = fixPreview{Intro: p.Intro, Note: "rootguard could not prepare a preview of this fix."}
		}
	}()
	st, err := fix.Load(ctx, f)
	if err != nil {
		p.Note = "The current values could not be read (" + safetext.Text(err.Error()) + ")."
		return p
	}
	plan, err := fix.Plan(st, formInput(fix.Form(st), fix.Defaults(st)))
	if err != nil || plan.NoOp {
		return p // the form asks for what is missing
	}
	p.Changes, p.Warnings = plan.Changes, plan.Warnings
	return p
}

func simulateCmd(simulate func(string) error, id string) tea.Cmd {
	return func() tea.Msg {
		return simulateDoneMsg{ID: id, Err: simulate(id)}
	}
}

// exportCmd reads an item's export and writes it to path, readable by the
// user alone (never through a symbolic link).
func exportCmd(ctx context.Context, e *steps.Export, r awsops.Reader, id, path string, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		data, err := e.Data(ctx, r)
		if err == nil {
			err = progress.WritePrivateFile(path, data)
		}
		if abs, aerr := filepath.Abs(path); aerr == nil {
			path = abs
		}
		return exportDoneMsg{ID: id, What: e.What, Warning: e.Warning, Path: path, Err: err}
	}
}

func attestCmd(store AttestationStore, a steps.Attestation) tea.Cmd {
	return func() tea.Msg {
		return attestDoneMsg{ID: a.ItemID, Marked: true, Err: store.Set(a)}
	}
}

func unattestCmd(store AttestationStore, id string) tea.Cmd {
	return func() tea.Msg {
		return attestDoneMsg{ID: id, Marked: false, Err: store.Delete(id)}
	}
}

func openCmd(open func(string) error, url string) tea.Cmd {
	return func() tea.Msg {
		return openDoneMsg{Err: open(url)}
	}
}

func recordRunCmd(record func(progress.Run) error, run progress.Run) tea.Cmd {
	return func() tea.Msg { return recordDoneMsg{Err: record(run)} }
}
