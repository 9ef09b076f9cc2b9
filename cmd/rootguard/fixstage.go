package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/term"

	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
)

// After an apply, a fix may have a next stage (steps.Stage): something to
// show (a QR code, a secret shown once) and something to ask (two MFA
// codes), whose answers make the next plan. At a terminal, rootguard shows
// it, asks with a form on stderr, applies the next plan, asks again when
// the stage says a failure is worth another try, and undoes what the fix
// made when the user stops.

// stageAsker reads a stage's answers; message (if any) says why it asks
// again. errStageStopped means the user stopped.
type stageAsker func(ctx context.Context, st *steps.Stage, message string, ios IOStreams) (steps.Input, error)

var errStageStopped = errors.New("stopped")

// stageUndoTimeout bounds undoing a stopped fix (it runs even after ctrl+c).
const stageUndoTimeout = 30 * time.Second

// stages runs the stages that follow a complete apply, in order.
func (r *fixRunner) stages(ctx context.Context, stage *steps.Stage) error {
	for stage != nil {
		r.showStage(stage)
		if !stage.Asks() {
			return nil
		}
		if !r.terminal {
			r.stop(ctx, stage)
			return &exitError{code: exitFindings, msg: fmt.Sprintf("%s needs answers at a terminal; run the fix at a terminal or in the wizard", stage.Title)}
		}
		next, err := r.askAndApply(ctx, stage)
		if err != nil {
			return err
		}
		stage = next
	}
	return nil
}

// askAndApply asks a stage's form until its plan applies, and returns
// what follows it.
func (r *fixRunner) askAndApply(ctx context.Context, stage *steps.Stage) (*steps.Stage, error) {
	message := ""
	for {
		in, err := r.ask(ctx, stage, message, r.ios)
		if err != nil {
			r.stop(ctx, stage)
			if ctx.Err() != nil || errors.Is(err, errInterrupted) {
				return nil, errInterrupted
			}
			if errors.Is(err, errStageStopped) {
				return nil, &exitError{code: exitFindings, msg: "stopped at " + stage.Title + "; the fix is not complete"}
			}
			return nil, &exitError{code: exitFindings, msg: "could not ask for " + stage.Title + ": " + err.Error()} // exitCode prints it on one line
		}
		p, err := stage.Plan(in)
		if err != nil {
			var fe steps.FieldErrors
			if errors.As(err, &fe) {
				message = fieldMessage(stage.Form, fe)
				continue
			}
			r.stop(ctx, stage)
			return nil, &exitError{code: exitFindings, msg: err.Error()}
		}
		res := p.Apply(ctx, r.acct)
		if !res.OK() && stage.Retry != nil && ctx.Err() == nil {
			if msg, again := stage.Retry(res.Err); again {
				message = msg
				continue
			}
		}
		r.report(res)
		r.recordApplied(p, res)
		if !res.OK() {
			r.stop(ctx, stage)
			return nil, applyError(res)
		}
		return res.Next, nil
	}
}

// stop undoes what the fix made so far (the stage's Abort plan), even when
// ctx was canceled, and says what was undone.
func (r *fixRunner) stop(ctx context.Context, stage *steps.Stage) {
	if stage.Abort == nil || len(stage.Abort.Calls) == 0 {
		fmt.Fprintln(r.out, "Stopped: nothing to undo.")
		r.records = append(r.records, "stopped at "+stage.Title)
		return
	}
	undoCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stageUndoTimeout)
	defer cancel()
	res := stage.Abort.Apply(undoCtx, r.acct)
	var undone []string
	for _, c := range res.Applied {
		undone = append(undone, safetext.Line(c.API+" ("+c.Label+")"))
	}
	if res.OK() {
		fmt.Fprintln(r.out, r.st.render(r.st.warn, "Stopped; undone with ")+strings.Join(undone, ", "))
	} else {
		fmt.Fprintln(r.out, r.st.render(r.st.status[steps.StatusFail], "Stopped; the undo failed: ")+safetext.Line(res.Explain()))
		fmt.Fprintln(r.out, "  → "+safetext.Line(res.Todo()))
	}
	rec := "stopped at " + stage.Title
	if len(undone) > 0 {
		rec += "; undone with " + strings.Join(undone, ", ")
	}
	r.records = append(r.records, rec)
}

// fieldMessage turns a plan's field errors into one message for the form,
// naming the fields by their labels.
func fieldMessage(groups []steps.Group, fe steps.FieldErrors) string {
	labels := map[string]string{}
	for _, g := range groups {
		for _, f := range g.Fields {
			labels[f.Key] = f.Label
		}
	}
	parts := make([]string, len(fe))
	for i, e := range fe {
		parts[i] = e.Message
		if l := labels[e.Field]; l != "" {
			parts[i] = l + ": " + e.Message
		} else if e.Field != "" {
			parts[i] = e.Field + ": " + e.Message
		}
	}
	return strings.Join(parts, "; ")
}

// showStage prints what a stage shows. Secrets and QR codes (a QR code of
// an otpauth URI is a secret too) are shown once, and only on a terminal;
// they are never recorded.
func (r *fixRunner) showStage(stage *steps.Stage) {
	var b strings.Builder
	b.WriteString("\n" + r.st.render(r.st.heading, safetext.Line(stage.Title)) + "\n")
	if stage.Help != "" {
		b.WriteString(strings.Join(wrapWords(safetext.Line(stage.Help), max(terminalWidth(r.ios), 60)-2), "\n") + "\n")
	}
	for _, s := range stage.Show {
		shown := safetext.Line(s.Value)
		if s.Grouped != "" {
			shown = safetext.Line(s.Grouped)
		}
		s.Label = safetext.Line(s.Label)
		switch {
		case s.Secret() && !r.terminal:
			fmt.Fprintf(&b, "  %s: (not shown: the output is not a terminal)\n", s.Label)
			continue
		case s.Kind == steps.ShownQR:
			// The code holds the secret: draw it, never print its text
			// (the secret is shown on its own, for typing by hand).
			if code := r.qr(s.Value); code != "" {
				b.WriteString(code + "  ↑ " + s.Label + "\n")
			} else {
				fmt.Fprintf(&b, "  %s: the terminal is too narrow for the QR code; type the secret below instead.\n", s.Label)
			}
			continue
		case s.Kind == steps.ShownLink:
			b.WriteString(r.qr(s.Value))
		}
		fmt.Fprintf(&b, "  %s: %s\n", s.Label, shown)
		if s.Kind == steps.ShownSecret {
			b.WriteString(r.st.render(r.st.faint, "  (shown once: copy it now; rootguard does not keep it)") + "\n")
		}
	}
	_, _ = fmt.Fprint(r.out, b.String())
}

// qr draws a QR code when the terminal is wide enough ("" otherwise: the
// value is printed below it anyway).
func (r *fixRunner) qr(content string) string {
	if !r.terminal {
		return ""
	}
	isDark := true
	if in, ok := r.ios.In.(term.File); ok {
		if out, ok := r.ios.Out.(term.File); ok {
			isDark = lipgloss.HasDarkBackground(in, out)
		}
	}
	text, width, err := qrText(content, 2, r.st.on, isDark)
	if err != nil {
		return ""
	}
	if w := terminalWidth(r.ios); w > 0 && width > w {
		return fmt.Sprintf("  (the QR code needs %d columns; the terminal has %d: the value is below)\n", width, w)
	}
	return text
}

// huhAsk asks a stage's form at the terminal: a huh form on stderr.
func huhAsk(ctx context.Context, stage *steps.Stage, message string, ios IOStreams) (steps.Input, error) {
	form, answers := stageForm(stage, message)
	form = form.WithInput(ios.In).WithOutput(ios.ErrOut).WithShowHelp(true)
	if err := form.RunWithContext(ctx); err != nil {
		if errors.Is(err, huh.ErrUserAborted) {
			return steps.Input{}, errStageStopped
		}
		return steps.Input{}, err
	}
	return answers(), nil
}

// stageForm builds a huh form from a stage's groups of fields, pre-filled
// with their defaults, and returns it with a function that reads the
// answers (every field of the groups shown is given).
func stageForm(stage *steps.Stage, message string) (*huh.Form, func() steps.Input) {
	text := map[string]*string{}
	bools := map[string]*bool{}
	multi := map[string]*[]string{}
	values := func() steps.Values {
		v := steps.Values{}
		for k, p := range text {
			v[k] = *p
		}
		for k, p := range bools {
			v[k] = steps.BoolValue(*p)
		}
		for k, p := range multi {
			v[k] = steps.JoinList(*p)
		}
		return v
	}
	var groups []*huh.Group
	for i, g := range stage.Form {
		var fields []huh.Field
		if i == 0 && message != "" {
			fields = append(fields, huh.NewNote().Title("! "+message))
		}
		for _, f := range g.Fields {
			fields = append(fields, huhField(f, text, bools, multi, values))
		}
		hg := huh.NewGroup(fields...).Title(g.Title).Description(g.Help)
		if g.Shown != nil {
			shown := g.Shown
			hg = hg.WithHideFunc(func() bool { return !shown(values()) })
		}
		groups = append(groups, hg)
	}
	answers := func() steps.Input {
		v := values()
		in := steps.Input{Values: v, Given: map[string]bool{}}
		for _, g := range stage.Form {
			if g.Shown != nil && !g.Shown(v) {
				continue
			}
			for _, f := range g.Fields {
				in.Given[f.Key] = true
			}
		}
		return in
	}
	return huh.NewForm(groups...), answers
}

// huhField is one field of a stage's form.
func huhField(f steps.Field, text map[string]*string, bools map[string]*bool, multi map[string]*[]string, values func() steps.Values) huh.Field {
	var options []huh.Option[string]
	for _, o := range f.Options {
		options = append(options, huh.NewOption(o.Label, o.Value))
	}
	switch f.Kind {
	case steps.FieldBool:
		b := f.Default == "true"
		bools[f.Key] = &b
		return huh.NewConfirm().Key(f.Key).Title(f.Label).Description(f.Help).Value(&b)
	case steps.FieldSelect:
		s := f.Default
		text[f.Key] = &s
		return huh.NewSelect[string]().Key(f.Key).Title(f.Label).Description(f.Help).Options(options...).Value(&s)
	case steps.FieldMulti:
		list := steps.SplitList(f.Default)
		multi[f.Key] = &list
		return huh.NewMultiSelect[string]().Key(f.Key).Title(f.Label).Description(f.Help).Options(options...).Value(&list)
	}
	s := f.Default
	text[f.Key] = &s
	in := huh.NewInput().Key(f.Key).Title(f.Label).Description(f.Help).Placeholder(f.Placeholder).Value(&s).
		Validate(func(v string) error {
			if n := utf8.RuneCountInString(v); f.Limit > 0 && n > f.Limit {
				return fmt.Errorf("must be at most %d characters (this is %d)", f.Limit, n)
			}
			if f.Validate != nil {
				return f.Validate(v, values())
			}
			return nil
		})
	if f.Secret {
		in = in.EchoMode(huh.EchoModePassword)
	}
	return in
}
