package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

// Commands close over copies of what they need, never over the model.

func identityCmd(ctx context.Context, r awsops.Reader, timeout time.Duration, gen int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		id, err := r.CallerIdentity(ctx)
		return identityMsg{Gen: gen, Identity: id, Err: err}
	}
}

func checkCmd(ctx context.Context, f *steps.Facts, it steps.Item, gen int, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		res := steps.CheckOne(ctx, f, it)
		var p plan
		if it.Kind == steps.KindAuto && res.Status.Open() {
			p = safePlan(ctx, f, it)
		}
		return checkDoneMsg{ID: it.ID, Gen: gen, Result: res, Plan: p}
	}
}

func simulateCmd(simulate func(string) error, id string) tea.Cmd {
	return func() tea.Msg {
		return simulateDoneMsg{ID: id, Err: simulate(id)}
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

// safePlan is planFor that never takes the wizard down: a broken plan is
// only a missing preview.
func safePlan(ctx context.Context, f *steps.Facts, it steps.Item) (p plan) {
	defer func() {
		if recover() != nil {
			p = plan{Intro: "rootguard could not prepare a preview of this fix."}
		}
	}()
	return planFor(ctx, f, it)
}
