package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/cursor"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/rootguard/rootguard/assets"
	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/awsops/safetext/mdtest"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/tui"
)

// The all-surfaces test (issue 11): a hostile AWS answers every call in
// each of its modes, and every output surface runs over it: check as
// text, Markdown and JSON, report as Markdown, HTML and handout, the plan
// of every fix, history (all and per item) and the wizard's frames at
// 80x24 (raw content, window title). Each output may hold no raw control
// character but rootguard's own SGR colours, none of the hostile
// sequences, no Markdown from AWS outside code spans, and no false pass.

// surfaceOutput is one output of one surface.
type surfaceOutput struct {
	surface string
	text    string // everything it wrote (stdout and stderr)
	doc     string // the document on stdout, for md and html
	md      bool   // a Markdown surface
	html    bool   // an HTML surface
}

// sgr is rootguard's own styling: Select Graphic Rendition only.
var sgr = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// leaks lists what an output lets through.
func leaks(o surfaceOutput) []string {
	var out []string
	for _, seq := range awstest.HostileSequences {
		if strings.Contains(o.text, seq) {
			out = append(out, fmt.Sprintf("raw %q", seq))
		}
	}
	plain := sgr.ReplaceAllString(o.text, "")
	for i, r := range plain {
		bad := (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) ||
			(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || (r == utf8.RuneError && !strings.HasPrefix(plain[i:], "\uFFFD"))
		if bad {
			out = append(out, fmt.Sprintf("control %U at %q", r, around(plain, i)))
			break
		}
	}
	if o.md {
		rest := withoutCodeSpans(o.doc)
		for _, m := range append(slices.Clone(awstest.HostileMarkdown), "https://evil.example", "<img", "](") {
			if containsUnescaped(rest, m) {
				out = append(out, "unescaped Markdown "+m)
			}
		}
	}
	if o.html {
		for _, bad := range []string{"<img src=x", `href="https://evil`, "onerror=alert(1)>"} {
			if strings.Contains(o.doc, bad) {
				out = append(out, "unescaped HTML "+bad)
			}
		}
	}
	return out
}

// containsUnescaped reports whether m occurs in s without a backslash
// before it.
func containsUnescaped(s, m string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], m)
		if j < 0 {
			return false
		}
		if i+j == 0 || s[i+j-1] != '\\' {
			return true
		}
		i += j + 1
	}
}

// kind is the surface an output belongs to: "check text", "fix
// contact-info", "history --item", "wizard frame", "wizard window title".
func (o surfaceOutput) kind() string {
	switch {
	case strings.HasPrefix(o.surface, "wizard") && strings.HasSuffix(o.surface, "(window title)"):
		return "wizard window title"
	case strings.HasPrefix(o.surface, "wizard"):
		return "wizard frame"
	case strings.HasPrefix(o.surface, "history --item"):
		return "history --item"
	case strings.HasPrefix(o.surface, "fix "):
		return strings.Fields(o.surface)[0] + " " + strings.Fields(o.surface)[1]
	}
	return o.surface
}

func around(s string, i int) string {
	return s[max(i-30, 0):min(i+30, len(s))]
}

// withoutCodeSpans drops Markdown code spans (fence runs and what they
// hold) and the fences of code blocks (rootguard's charts).
func withoutCodeSpans(s string) string {
	return mdtest.OutsideSpans(strings.ReplaceAll(s, "```", ""))
}

// hostileCase is a hostile mode, with who is calling either broken too or
// kept well-formed (so that every read after it meets the mode).
type hostileCase struct {
	mode     awstest.Mode
	identity bool // sts GetCallerIdentity answers well-formed
	// raw: no hostile server but an account that hands its hostile strings
	// over raw, as if the boundary were bypassed: the writers' own
	// sanitizing is all that stands between them and the terminal.
	raw bool
}

func (c hostileCase) String() string {
	if c.raw {
		return "raw"
	}
	if c.identity {
		return string(c.mode) + "+identity"
	}
	return string(c.mode)
}

var keptIdentity = []string{"sts GetCallerIdentity"}

// hostileConfig is an SDK config for a new hostile AWS: in process, except
// for hangs, which need the SDK's HTTP timeout.
func hostileConfig(t *testing.T, c hostileCase) (aws.Config, *awstest.Hostile) {
	mode := c.mode
	h := awstest.NewHostile(mode)
	if c.identity {
		h.Keep = keptIdentity
	}
	if mode == awstest.ModeHang {
		return awstest.Serve(t, h, 300*time.Millisecond), h
	}
	t.Cleanup(h.Close)
	return h.Config(), h
}

// hostileDeps connect every command to the hostile AWS.
func hostileDeps(t *testing.T, c hostileCase, dir string) deps {
	if c.raw {
		return deps{now: time.Now, stateDir: func() (string, error) { return dir, nil }, checkTimeout: 20 * time.Second,
			connect: func(context.Context, accountFlags) (awsops.Account, error) { return newRawHostile(), nil }}
	}
	cfg, _ := hostileConfig(t, c)
	return deps{
		now:          time.Now,
		stateDir:     func() (string, error) { return dir, nil },
		checkTimeout: 20 * time.Second,
		connect: func(ctx context.Context, _ accountFlags) (awsops.Account, error) {
			a := awsops.New(cfg)
			a.ReportPoll = awsops.Backoff{}
			return a, nil
		},
	}
}

// runSurface runs rootguard with args and returns stdout and stderr as one
// output (a panic is a test failure, not a crash).
func runSurface(t *testing.T, d deps, name string, args ...string) (o surfaceOutput, stdout string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, OutIsTerminal: true,
		Env: func(k string) string {
			return map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor", "COLUMNS": "100"}[k]
		}}
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Errorf("%s: panic: %v", name, p)
			}
		}()
		run(context.Background(), args, ios, d)
	}()
	return surfaceOutput{surface: name, text: out.String() + errOut.String(), doc: out.String()}, out.String()
}

// fixFlagArgs are flags for a fix's fields: valid values where the field
// takes one of the candidates (all fields, or only the first).
func fixFlagArgs(fix steps.Fix, firstOnly bool) []string {
	candidates := []string{"Ana Lima", "Security", "security@example.com", "+1 206 555 0100", "1 Main St", "Seattle",
		"WA", "98101", "US", "admin", "14", "24", "90"}
	var args []string
	for _, f := range fix.Fields(steps.State{}) {
		if f.Secret {
			continue
		}
		switch f.Kind {
		case steps.FieldSelect, steps.FieldMulti:
			if len(f.Options) > 0 {
				args = append(args, "--"+f.Key, f.Options[0].Value)
			}
		case steps.FieldText:
			for _, c := range candidates {
				if f.Validate == nil || f.Validate(c, steps.Values{}) == nil {
					args = append(args, "--"+f.Key, c)
					break
				}
			}
		}
		if firstOnly && len(args) > 0 {
			break
		}
	}
	return args
}

// Timers the wizard harness never waits for (as tui's tests).
var (
	spinnerTick = reflect.ValueOf(spinner.New().Tick).Pointer()
	cursorBlink = func() uintptr {
		c := cursor.New()
		c.SetMode(cursor.CursorBlink)
		return reflect.ValueOf(c.Focus()).Pointer()
	}()
	cmdsType = reflect.TypeFor[[]tea.Cmd]()
)

// wizardHarness drives the wizard as the program would: each command runs
// (a batch's at once), its message goes back through Update; timers are
// dropped.
type wizardHarness struct {
	t      *testing.T
	app    *tui.App
	frames []surfaceOutput
}

func (w *wizardHarness) settle(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0; n++ {
		if n > 20000 {
			w.t.Fatal("the wizard's commands never settle")
		}
		batch := queue
		queue = nil
		msgs := make([]tea.Msg, len(batch))
		var wg sync.WaitGroup
		for i, c := range batch {
			if c == nil {
				continue
			}
			if p := reflect.ValueOf(c).Pointer(); p == spinnerTick || p == cursorBlink {
				continue
			}
			wg.Go(func() { msgs[i] = c() })
		}
		wg.Wait()
		for _, msg := range msgs {
			if msg == nil {
				continue
			}
			if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().ConvertibleTo(cmdsType) {
				queue = append(queue, v.Convert(cmdsType).Interface().([]tea.Cmd)...)
				continue
			}
			switch msg.(type) {
			case tea.QuitMsg, tea.InterruptMsg:
				continue
			}
			_, next := w.app.Update(msg)
			queue = append(queue, next)
		}
	}
}

func (w *wizardHarness) press(keys ...string) {
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		case "tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab}
		default:
			r, _ := utf8.DecodeRuneInString(k)
			msg = tea.KeyPressMsg{Code: r, Text: k}
		}
		var cmd tea.Cmd
		func() {
			defer func() {
				if p := recover(); p != nil {
					w.t.Errorf("wizard: panic on %q: %v", k, p)
				}
			}()
			_, cmd = w.app.Update(msg)
			w.settle(cmd)
		}()
		w.frame("wizard " + k)
	}
}

func (w *wizardHarness) frame(name string) {
	v := w.app.View()
	w.frames = append(w.frames, surfaceOutput{surface: name, text: v.Content},
		surfaceOutput{surface: name + " (window title)", text: v.WindowTitle})
	if !strings.HasPrefix(v.WindowTitle, "rootguard") || strings.ContainsAny(v.WindowTitle, "\x1b\x07\u009c\u009d") {
		w.t.Errorf("window title %q", v.WindowTitle)
	}
}

// wizardFrames walks the wizard over the account: the identity screen, the
// checklist, every step (top and bottom), every fix flow to its plan, the
// summary.
func wizardFrames(t *testing.T, acct awsops.Account) []surfaceOutput {
	app, err := tui.New(context.Background(), tui.Config{Account: acct, Region: acct.Region(), Items: steps.All(),
		Guide: assets.Guide, CheckTimeout: 20 * time.Second}) // no Writer: fixes are previewed, never applied
	if err != nil {
		t.Fatal(err)
	}
	w := &wizardHarness{t: t, app: app}
	app.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	w.settle(app.Init())
	w.frame("wizard identity")
	w.press("enter") // the checklist
	onChecklist := func() bool { return strings.Contains(app.View().Content, "open step") }
	for i := range steps.All() {
		w.press("g")
		for range i {
			w.press("j")
		}
		w.press("enter", "G", "g", "x") // the step, its bottom and top, its fix (when there is one)
		if strings.Contains(app.View().Content, "Fix: ") {
			for range 12 {
				w.press("enter") // through the form to the plan
			}
		}
		for range 10 {
			if onChecklist() {
				break
			}
			if strings.Contains(app.View().Content, "Drop the values") {
				w.press("y")
				continue
			}
			w.press("esc")
		}
	}
	w.press("f") // the summary
	w.press("?")
	return w.frames
}

func TestEverySurfaceOverHostileAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every surface over every hostile mode")
	}
	var (
		mu                                     sync.Mutex // hang cases run in parallel: they wait, mostly
		outputs, checked, through, falsePasses int
		surfaces                               = map[string]bool{}
	)
	cases := []hostileCase{{raw: true}}
	for _, mode := range awstest.Modes() {
		cases = append(cases, hostileCase{mode: mode})
		if mode != awstest.ModeEscapes {
			cases = append(cases, hostileCase{mode: mode, identity: true})
		}
	}
	for _, hc := range cases {
		mode := hc.mode
		t.Run(hc.String(), func(t *testing.T) {
			if mode == awstest.ModeHang {
				t.Parallel()
			}
			dir := t.TempDir()
			d := hostileDeps(t, hc, dir)
			var outs []surfaceOutput
			add := func(o surfaceOutput) { outs = append(outs, o) }

			text, _ := runSurface(t, d, "check text", "check", "--state-dir", dir)
			add(text)
			md, _ := runSurface(t, d, "check markdown", "check", "--format", "markdown", "--state-dir", dir)
			md.md = true
			add(md)
			js, stdout := runSurface(t, d, "check json", "check", "--format", "json", "--state-dir", dir)
			add(js)
			var rep struct {
				Results []struct {
					ID     string `json:"id"`
					Status string `json:"status"`
				} `json:"results"`
			}
			if stdout != "" {
				if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
					t.Errorf("check json: not JSON: %v", err)
				}
			}
			if mode != awstest.ModeEscapes && !hc.raw {
				for _, r := range rep.Results {
					if r.Status == string(steps.StatusPass) {
						if broken := brokenCalls(t, hc, r.ID); len(broken) > 0 {
							mu.Lock()
							falsePasses++
							mu.Unlock()
							t.Errorf("%s: pass, though it read %v, broken in this mode", r.ID, broken)
						}
					}
				}
			}
			rmd, _ := runSurface(t, d, "report markdown", "report", "--format", "markdown", "--state-dir", dir)
			rmd.md = true
			add(rmd)
			html, _ := runSurface(t, d, "report html", "report", "--format", "html", "--state-dir", dir)
			html.html = true
			add(html)
			hand, _ := runSurface(t, d, "report handout", "report", "--handout", "--state-dir", dir)
			hand.html = true
			add(hand)
			for _, fix := range steps.Fixes() {
				if !fix.Available() {
					continue
				}
				for _, first := range []bool{true, false} {
					args := append([]string{"fix", fix.ID, "--state-dir", dir}, fixFlagArgs(fix, first)...)
					o, _ := runSurface(t, d, fmt.Sprintf("fix %s (%d flags)", fix.ID, (len(args)-4)/2), args...)
					add(o)
				}
			}
			hist, _ := runSurface(t, d, "history", "history", "--state-dir", dir)
			add(hist)
			for _, id := range steps.IDs() {
				o, _ := runSurface(t, d, "history --item "+id, "history", "--item", id, "--state-dir", dir)
				add(o)
			}
			acct, _ := d.connect(context.Background(), accountFlags{})
			outs = append(outs, wizardFrames(t, acct)...)

			mu.Lock()
			defer mu.Unlock()
			for _, o := range outs {
				outputs++
				checked += len(awstest.HostileSequences) + 1
				if o.md {
					checked += len(awstest.HostileMarkdown) + 3
				}
				if l := leaks(o); len(l) > 0 {
					through++
					t.Errorf("%s: %s", o.surface, strings.Join(l, "; "))
				}
				surfaces[o.kind()] = true
			}
		})
	}
	t.Cleanup(func() { // after the parallel cases
		t.Logf("%d hostile inputs (%d modes, with who is calling broken or kept; and raw strings past the boundary) × %d surfaces = %d outputs (wizard frames "+
			"one by one): %d checks of hostile sequences, raw controls and Markdown; %d outputs let something through; %d false passes",
			len(cases), len(awstest.Modes()), len(surfaces), outputs, checked, through, falsePasses)
	})
}

// brokenCalls checks one item alone against a fresh hostile AWS in mode
// and lists the operations it called whose answers the mode breaks: every
// operation, or in the pagination modes the paginated ones (their listings
// never end). An item that passes only on well-formed answers (a
// pagination mode's single answers) or on no read at all lists none.
func brokenCalls(t *testing.T, c hostileCase, id string) []string {
	it, ok := steps.Lookup(id)
	if !ok {
		return nil
	}
	mode := c.mode
	cfg, h := hostileConfig(t, c)
	a := awsops.New(cfg)
	a.ReportPoll = awsops.Backoff{}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var id0 *awsops.Identity
	if who, err := a.CallerIdentity(ctx); err == nil {
		id0 = &who
	}
	before := h.Calls() // the item's own reads only
	res := steps.CheckOne(ctx, steps.NewFacts(a, steps.FactsOptions{Identity: id0}), it)
	if res.Status != steps.StatusPass {
		return nil // alone it does not pass: the pass came from another pass's reads (none share)
	}
	paging := mode == awstest.ModeEndlessPages || mode == awstest.ModeRepeatedToken
	var broken []string
	after := h.Calls()
	for _, op := range awstest.Operations {
		kept := c.identity && slices.Contains(keptIdentity, op.String())
		if after[op.String()] > before[op.String()] && !kept && (!paging || paginated(op)) {
			broken = append(broken, op.String())
		}
	}
	return broken
}

// paginated reports whether an operation's answer carries a next token.
func paginated(op awstest.Operation) bool {
	t := reflect.TypeOf(op.Output)
	for _, name := range []string{"NextToken", "Marker", "NextMarker", "NextPageToken"} {
		if _, ok := t.FieldByName(name); ok {
			return true
		}
	}
	return false
}

// rawHostile is the demo account with hostile strings handed over raw, as
// if they had bypassed the boundary: the identity, the alias, contacts,
// names in the credential report, trails, budgets, alert rules, and an
// error message.
type rawHostile struct{ *demo.Account }

func newRawHostile() rawHostile { return rawHostile{demo.New(demo.Options{})} }

var rawPayload = awstest.HostilePayload

func (r rawHostile) CallerIdentity(ctx context.Context) (awsops.Identity, error) {
	id, err := r.Account.CallerIdentity(ctx)
	id.Alias, id.ARN = rawPayload, id.ARN+"/"+rawPayload
	return id, err
}

func (r rawHostile) Caller(ctx context.Context) (awsops.Identity, error) {
	id, err := r.CallerIdentity(ctx)
	id.Alias = ""
	return id, err
}

func (r rawHostile) AccountAlias(context.Context) (string, error) { return rawPayload, nil }

func (r rawHostile) PasswordPolicy(context.Context) (*awsops.PasswordPolicy, error) {
	return nil, &awsops.Error{Kind: awsops.KindAccessDenied, Permission: "iam:GetAccountPasswordPolicy", Message: "denied " + rawPayload}
}

func (r rawHostile) ContactInformation(ctx context.Context) (*awsops.ContactInfo, error) {
	c, err := r.Account.ContactInformation(ctx)
	if c != nil {
		c.FullName, c.CompanyName, c.City = rawPayload, rawPayload, rawPayload
	}
	return c, err
}

func (r rawHostile) AlternateContact(ctx context.Context, t awsops.ContactType) (*awsops.AlternateContact, error) {
	return &awsops.AlternateContact{Type: t, Name: rawPayload, Title: rawPayload, Email: "sec@example.com", Phone: "+1 206 555 0100"}, nil
}

func (r rawHostile) CredentialReport(ctx context.Context) (*awsops.CredentialReport, error) {
	rep, err := r.Account.CredentialReport(ctx)
	if rep != nil {
		rep.Users = append(rep.Users, awsops.CredentialRow{User: rawPayload, ARN: "arn:aws:iam::" + demo.AccountID + ":user/" + rawPayload,
			CreatedAt: time.Now().Add(-400 * 24 * time.Hour), PasswordEnabled: "true"})
	}
	return rep, err
}

func (r rawHostile) IAMUsers(ctx context.Context) ([]awsops.IAMUser, error) {
	users, err := r.Account.IAMUsers(ctx)
	return append(users, awsops.IAMUser{Name: rawPayload, ARN: "arn:aws:iam::" + demo.AccountID + ":user/" + rawPayload,
		CreatedAt: time.Now().Add(-400 * 24 * time.Hour)}), err
}

func (r rawHostile) Trails(context.Context) ([]awsops.Trail, error) {
	return []awsops.Trail{{Name: rawPayload, ARN: "arn:aws:cloudtrail:us-east-1:" + demo.AccountID + ":trail/" + rawPayload, HomeRegion: "us-east-1"}}, nil
}

func (r rawHostile) Budgets(context.Context, string) ([]awsops.Budget, error) {
	return []awsops.Budget{{Name: rawPayload, Type: "COST", Limit: "10", Unit: "USD", TimeUnit: "MONTHLY"}}, nil
}

func (r rawHostile) RootSignInAlerts(context.Context) ([]awsops.AlertRule, error) {
	return []awsops.AlertRule{{Name: rawPayload, ARN: "arn:aws:events:us-east-1:" + demo.AccountID + ":rule/x"}}, nil
}
