package tui

import (
	"context"
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

// Screens through their own Update and View, without the App: a common
// with a session whose verdicts are set by hand.

// testCommon is a common over the test items, every item checked once
// (the first check of testItems), at 80x24.
func testCommon(t *testing.T) *common {
	t.Helper()
	fa := newFakeAccount()
	cfg, err := testConfig(fa).withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	c := &common{ctx: context.Background(), cfg: cfg, keys: DefaultKeyMap(), width: 80, height: 24,
		styles: DefaultStyles(true), sess: newSession(cfg.Items)}
	c.sess.identity = &awsops.Identity{Account: "123456789012", ARN: "arn:aws:iam::123456789012:root", IsRoot: true}
	f := c.facts()
	for _, s := range c.sess.items {
		s.result, s.has = steps.CheckOne(context.Background(), f, s.item), true
		s.first = s.result.Status
	}
	return c
}

// intentOf runs cmd and returns the intent it carries (nil when none).
func intentOf(cmd tea.Cmd) intent {
	for _, m := range drain(cmd) {
		if in, ok := m.(intent); ok {
			return in
		}
	}
	return nil
}

func TestChecklistScreenOwnsItsCursor(t *testing.T) {
	c := testCommon(t)
	s := newChecklistScreen(c)
	s.sync(80, 19)
	s, _ = s.Update(keyMsg("n"))
	if s.cursor != "root-mfa" {
		t.Fatalf("n: cursor %q", s.cursor)
	}
	_, cmd := s.Update(keyMsg("enter"))
	if got, ok := intentOf(cmd).(openStepMsg); !ok || got.ID != "root-mfa" {
		t.Fatalf("enter asks for %#v, want the root-mfa step", intentOf(cmd))
	}
	_, cmd = s.Update(keyMsg("R"))
	if got, ok := intentOf(cmd).(recheckMsg); !ok || !got.All {
		t.Fatalf("R asks for %#v", intentOf(cmd))
	}
	v := ansi.Strip(s.View(80, 19))
	for _, want := range []string{"▸ ✗ fail     Turn on MFA for the root user", "2 of 7 done · 4 to do · 1 n/a"} {
		if !strings.Contains(v, want) {
			t.Fatalf("view lacks %q:\n%s", want, v)
		}
	}
}

func TestStepScreenXSaysWhatToDoWhenRootguardCannotFix(t *testing.T) {
	c := testCommon(t)
	for id, want := range map[string]string{
		"root-mfa":           "rootguard cannot make this change through the API: follow the console steps below (c copies the link), then press r to re-check.",
		"root-password":      "rootguard cannot do this for you: no AWS API can. Follow the guidance below, then press m to mark it done.",
		"security-questions": "Nothing to fix: this does not apply to your account.",
	} {
		s := newStepScreen(c)
		s.open(id)
		s.sync(80, 19)
		_, cmd := s.Update(keyMsg("x"))
		got, ok := intentOf(cmd).(flashMsg)
		if !ok || got.Text != want {
			t.Errorf("%s: x says %#v, want %q", id, intentOf(cmd), want)
		}
		if strings.Contains(ansi.Strip(helpView(help.New(), s.help(), 200, false)), "x fix this") {
			t.Errorf("%s: the help offers a fix", id)
		}
	}
	s := newStepScreen(c)
	s.open("password-policy")
	s.sync(80, 19)
	if _, cmd := s.Update(keyMsg("x")); intentOf(cmd) != (startFixMsg{ID: "password-policy"}) {
		t.Fatalf("x on a fixable item asks for %#v", intentOf(cmd))
	}
	if !strings.Contains(ansi.Strip(helpView(help.New(), s.help(), 200, false)), "x fix this") {
		t.Error("the help of a fixable item does not offer x")
	}
}

// TestProseNamesTheBoundKeys: a key quoted in prose is the binding's, so
// remapping a key changes the sentence too.
func TestProseNamesTheBoundKeys(t *testing.T) {
	c := testCommon(t)
	c.keys.Step.Attest = key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "mark done"))
	c.keys.Step.Recheck = key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "verify"))
	s := newStepScreen(c)
	s.open("root-password")
	s.sync(120, 40)
	v := strings.Join(strings.Fields(ansi.Strip(s.View(120, 40))), " ")
	if !strings.Contains(v, "then press a to mark it done") {
		t.Fatalf("the prose does not name the bound key:\n%s", v)
	}
	s.open("root-mfa")
	s.sync(120, 40)
	if v := strings.Join(strings.Fields(ansi.Strip(s.View(120, 40))), " "); !strings.Contains(v, "then press v to re-check") {
		t.Fatalf("the prose does not name the bound key:\n%s", v)
	}
}

func TestSummaryWrapsAt80Columns(t *testing.T) {
	c := testCommon(t)
	s := newSummaryScreen(c)
	for _, w := range []int{80, 120} {
		for _, line := range strings.Split(s.content(min(w-1, summaryWidth)), "\n") {
			if n := ansi.StringWidth(line); n > summaryWidth {
				t.Errorf("at %d columns a summary line is %d wide: %q", w, n, ansi.Strip(line))
			}
		}
	}
	if v := ansi.Strip(s.content(79)); !strings.Contains(v, "Fixed this session (0)") {
		t.Fatalf("summary:\n%s", v)
	}
}

func TestIdentityScreenKeysFollowTheSession(t *testing.T) {
	c := testCommon(t)
	s := newIdentityScreen(c)
	s.sync(80, 19)
	if _, cmd := s.Update(keyMsg("enter")); intentOf(cmd) != (openChecklistMsg{}) {
		t.Fatalf("enter asks for %#v", intentOf(cmd))
	}
	if _, cmd := s.Update(keyMsg("r")); cmd != nil {
		t.Fatal("r retries with nothing to retry")
	}
	c.sess.identity, c.sess.identityErr = nil, &awsops.Error{Kind: awsops.KindCredentials, Message: "expired"}
	s.sync(80, 19)
	if _, cmd := s.Update(keyMsg("enter")); cmd != nil {
		t.Fatal("enter continues without an identity")
	}
	if _, cmd := s.Update(keyMsg("r")); intentOf(cmd) != (retryIdentityMsg{}) {
		t.Fatalf("r asks for %#v", intentOf(cmd))
	}
	if v := ansi.Strip(s.View(80, 19)); !strings.Contains(v, "Press r to try again, q to quit.") {
		t.Fatalf("view:\n%s", v)
	}
}

func TestQRScreenQuestionMarkSaysWhatItIs(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter", "n", "enter", "Q")
	requireContains(t, a, "? what is this?")
	press(a, "?")
	if a.c.showAll {
		t.Fatal("? on the QR screen opened the key help")
	}
	requireSays(t, a, "What is this?", "QR code of the console link", "no password, key or account secret")
	press(a, "?")
	requireContains(t, a, "▀▀▀")
	press(a, "esc")
	if a.screen != screenStep {
		t.Fatal("esc did not leave the QR code")
	}
}

func TestMarkAsksForAnOptionalNote(t *testing.T) {
	cfg := testConfig(newFakeAccount())
	store := NewMemoryAttestations()
	cfg.Attestations = store
	a := started(t, cfg)
	press(a, "enter")
	a.openStep("root-password")
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	press(a, "m")
	requireSays(t, a, "A note to keep with the mark (optional):", "enter saves the mark (an empty note is fine) · esc cancels")
	typeText(t, a, "kept in the vault?")
	if a.c.showAll {
		t.Fatal("? in the note toggled the help")
	}
	settle(t, a, press(a, "enter"))
	at, ok := store.Get("root-password")
	if !ok || at.Note != "kept in the vault?" {
		t.Fatalf("attestation = %+v, %v", at, ok)
	}
	requireSays(t, a, "◉ attested", "Marked done on 15 Jan 2026")

	// esc leaves it unmarked; a note too long is a message, not cut.
	settle(t, a, press(a, "u"))
	press(a, "m")
	a.Update(tea.PasteMsg{Content: strings.Repeat("x", noteLimit+5)})
	press(a, "enter")
	requireSays(t, a, "The note is at most 200 characters (this one is 205)")
	press(a, "esc")
	if _, ok := store.Get("root-password"); ok {
		t.Fatal("esc marked the item")
	}
	requireContains(t, a, "Not marked.")
}

func TestSimulateScrollsToTheNewVerdict(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter", "n", "enter", "G")
	if a.step.vp.AtTop() {
		t.Fatal("G did not scroll")
	}
	settle(t, a, press(a, "s"))
	if !a.step.vp.AtTop() {
		t.Fatal("the step did not scroll back to its new verdict")
	}
	requireContains(t, a, "✓ PASS")
}

func TestOneDenominatorEverywhere(t *testing.T) {
	fa := newFakeAccount()
	cfg := testConfig(fa)
	// An organization item that applies is counted everywhere once it does.
	for i, it := range cfg.Items {
		if it.ID == "org-root-scp" {
			cfg.Items[i].Check = func(context.Context, *steps.Facts) steps.Result {
				return steps.Result{Status: steps.StatusFail, Summary: "no SCP denies root"}
			}
		}
	}
	a := started(t, cfg)
	n := a.c.sess.tally().Listed
	if n != 8 {
		t.Fatalf("listed %d, want 8", n)
	}
	press(a, "enter")
	requireContains(t, a, "2 of 8 done · 5 to do · 1 n/a")
	press(a, "G", "enter")
	requireContains(t, a, "Step 8 of 8")
	press(a, "f")
	requireSays(t, a, "2 of 8 items done, 5 still open, 1 does not apply")
	if f := a.Final(); f.Open != 5 {
		t.Fatalf("final open %d, want 5", f.Open)
	}
}

func TestSummarySaysWhatChangedSinceTheLastRun(t *testing.T) {
	a := started(t, sinceConfig(newFakeAccount(), &runRecorder{}))
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 60})
	press(a, "enter", "f")
	requireSays(t, a, "Since the last run (12 Jan 2026 10:00)", "▲ 3 fixed · ▼ 1 new problem",
		"▲ fixed Turn on MFA for the root user", "▼ new Set a strong password policy")
}

func TestFinalHandsBackTheEndWhenSomethingChanged(t *testing.T) {
	rec := &runRecorder{}
	cfg := testConfig(newFakeAccount())
	cfg.RecordRun = rec.record
	a := started(t, cfg)
	if f := a.Final(); f.End != nil {
		t.Fatalf("nothing changed, yet Final has an end: %+v", f.End)
	}
	press(a, "enter", "n", "enter")
	settle(t, a, press(a, "s"))
	f := a.Final()
	if f.End == nil {
		t.Fatal("root-mfa was fixed, and Final has no end to record")
	}
	if st, _ := f.End.Status("root-mfa"); st.Status != steps.StatusPass {
		t.Fatalf("the end has root-mfa %s", st.Status)
	}
	if rec.count() != 1 {
		t.Fatalf("RecordRun called %d times, want once (the start)", rec.count())
	}
	if st, _ := rec.runs[0].Status("root-mfa"); st.Status != steps.StatusFail {
		t.Fatalf("the start has root-mfa %s", st.Status)
	}
	if f.Score.Percent <= 33 || f.Open != 3 {
		t.Fatalf("final = %+v", f)
	}
}

func TestPastedValueLongerThanTheFieldIsAMessage(t *testing.T) {
	d := demoFixApp(t, steps.FixAlternateContacts, 80, 24, nil)
	send(t, d.App, "x")
	long := strings.Repeat("J", 70)
	d.Update(tea.PasteMsg{Content: long})
	requireSays(t, d.App, "Name is at most 64 characters (this is 70): shorten it")
	if got := d.fix.form.values()[steps.ContactFieldKey(awsops.ContactSecurity, "name")]; got != long {
		t.Fatalf("the pasted value was cut to %d characters", len(got))
	}
	send(t, d.App, "enter")
	if d.fix.form.form.GetFocusedField().GetKey() != steps.ContactFieldKey(awsops.ContactSecurity, "name") {
		t.Fatal("an over-long value let the form move on")
	}
}
