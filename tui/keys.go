package tui

import "charm.land/bubbles/v2/key"

// KeyMap is every key the wizard answers to, one map per context. A screen
// keeps its own copy of its context's map and enables or disables each
// binding in one place (its setKeys method, as bubbles' list does): a
// disabled binding neither acts (key.Matches skips it) nor shows in the help.
type KeyMap struct {
	Global    GlobalKeys
	Identity  IdentityKeys
	Checklist ChecklistKeys
	Step      StepKeys
	QR        QRKeys
	Summary   SummaryKeys
	Fix       FixKeys
	// DemoConfirm answers the demo's questions (start over, sign in).
	DemoConfirm DemoConfirmKeys
}

// DemoKeys are the trainer's keys in the demo, on the checklist, the step
// and the summary. Each is enabled only in the demo and when it can act.
type DemoKeys struct {
	SignIn    key.Binding // sign in as the new administrator (asks first)
	Undo      key.Binding // undo the last simulated step
	StartOver key.Binding // start the scenario over (asks first)
}

// DemoConfirmKeys answer a demo question.
type DemoConfirmKeys struct {
	Yes key.Binding
	No  key.Binding
}

// GlobalKeys work on every screen.
type GlobalKeys struct {
	Help      key.Binding
	Interrupt key.Binding
}

// ScrollKeys move a viewport.
type ScrollKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

// IdentityKeys are the first screen's keys.
type IdentityKeys struct {
	Continue key.Binding
	Retry    key.Binding
	Quit     key.Binding
}

// ChecklistKeys are the checklist's keys.
type ChecklistKeys struct {
	ScrollKeys
	Open       key.Binding
	NextOpen   key.Binding
	Recheck    key.Binding
	RecheckAll key.Binding
	Summary    key.Binding
	Quit       key.Binding
	Demo       DemoKeys
}

// StepKeys are the step screen's keys.
type StepKeys struct {
	ScrollKeys
	NextOpen   key.Binding
	NextItem   key.Binding
	PrevItem   key.Binding
	Back       key.Binding
	Recheck    key.Binding
	RecheckAll key.Binding
	Summary    key.Binding
	Fix        key.Binding // rootguard can fix the item
	NoFix      key.Binding // it cannot: x says what to do instead
	Attest     key.Binding
	Unattest   key.Binding
	NoMark     key.Binding // live items: m says they are verified live
	Copy       key.Binding
	Browser    key.Binding
	QR         key.Binding
	Simulate   key.Binding
	// Export saves the item's file (steps.Export), e.g. the credential
	// report as CSV; its help is the export's label.
	Export key.Binding
	// While a note for a mark is typed.
	NoteSave   key.Binding
	NoteCancel key.Binding
	// While the path of an export is typed.
	ExportSave   key.Binding
	ExportCancel key.Binding
	Demo         DemoKeys
}

// QRKeys are the console link's QR screen's keys.
type QRKeys struct {
	Back  key.Binding
	Copy  key.Binding
	About key.Binding
}

// SummaryKeys are the summary's keys.
type SummaryKeys struct {
	ScrollKeys
	Back       key.Binding
	NextOpen   key.Binding
	RecheckAll key.Binding
	Quit       key.Binding
	Demo       DemoKeys
}

// FixKeys are the fix flow's keys, phase by phase.
type FixKeys struct {
	ScrollKeys
	// TypedScroll scrolls the preview while a confirmation is typed: the
	// arrows and page keys only, which type nothing.
	TypedScroll ScrollKeys
	// Loading and errors.
	Retry key.Binding
	Back  key.Binding
	// Forms (huh acts on these; they are listed for the help).
	FormNext   key.Binding
	FormPrev   key.Binding
	FormChoose key.Binding
	FormToggle key.Binding
	FormCancel key.Binding
	// Yes/no questions (confirmation, dropping typed values, stopping).
	Yes    key.Binding
	No     key.Binding
	Choose key.Binding
	Enter  key.Binding
	Edit   key.Binding
	// Stages and results.
	Continue key.Binding
	Copy     key.Binding
	QR       key.Binding // a stage's QR code alone, when it does not fit beside the text
	Stop     key.Binding
	Done     key.Binding
	// Recheck re-checks the fix's items again on the result (after, say,
	// confirming an email subscription).
	Recheck key.Binding
}

func scrollKeys() ScrollKeys {
	return ScrollKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "space"), key.WithHelp("pgdn/space", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
	}
}

func demoKeys() DemoKeys {
	return DemoKeys{
		SignIn:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "sign in as the admin (demo)")),
		Undo:      key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "undo simulation (demo)")),
		StartOver: key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "start over (demo)")),
	}
}

// DefaultKeyMap returns the wizard's keys.
func DefaultKeyMap() KeyMap {
	quit := key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit"))
	recheck := key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-check"))
	recheckAll := key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "re-check all"))
	nextOpen := key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next to do"))
	summary := key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "finish/summary"))
	return KeyMap{
		Global: GlobalKeys{
			Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
			Interrupt: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		},
		Identity: IdentityKeys{
			Continue: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
			Retry:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
			Quit:     quit,
		},
		Checklist: ChecklistKeys{
			ScrollKeys: scrollKeys(),
			Open:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open step")),
			NextOpen:   nextOpen,
			Recheck:    recheck,
			RecheckAll: recheckAll,
			Summary:    summary,
			Quit:       quit,
			Demo:       demoKeys(),
		},
		Step: StepKeys{
			ScrollKeys:   scrollKeys(),
			NextOpen:     nextOpen,
			NextItem:     key.NewBinding(key.WithKeys("tab", "right", "l"), key.WithHelp("→/tab", "next item")),
			PrevItem:     key.NewBinding(key.WithKeys("shift+tab", "left", "h"), key.WithHelp("←", "previous item")),
			Back:         key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc/q", "back to list")),
			Recheck:      recheck,
			RecheckAll:   recheckAll,
			Summary:      summary,
			Fix:          key.NewBinding(key.WithKeys("x", "enter"), key.WithHelp("x", "fix this")),
			NoFix:        key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "why no fix")),
			Attest:       key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mark done")),
			Unattest:     key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo mark")),
			NoMark:       key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "why no mark")),
			Copy:         key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy link")),
			Browser:      key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open link")),
			QR:           key.NewBinding(key.WithKeys("Q"), key.WithHelp("Q", "QR code")),
			Simulate:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "simulate (demo)")),
			NoteSave:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save the mark")),
			NoteCancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
			Export:       key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "save to a file")),
			ExportSave:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save the file")),
			ExportCancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
			Demo:         demoKeys(),
		},
		QR: QRKeys{
			Back:  key.NewBinding(key.WithKeys("esc", "q", "Q"), key.WithHelp("esc", "back")),
			Copy:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy link")),
			About: key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "what is this")),
		},
		Summary: SummaryKeys{
			ScrollKeys: scrollKeys(),
			Back:       key.NewBinding(key.WithKeys("esc", "enter"), key.WithHelp("esc", "checklist")),
			NextOpen:   key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "most important to do")),
			RecheckAll: recheckAll,
			Quit:       quit,
			Demo:       demoKeys(),
		},
		DemoConfirm: DemoConfirmKeys{
			Yes: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
			No:  key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),
		},
		Fix: FixKeys{
			ScrollKeys: scrollKeys(),
			TypedScroll: ScrollKeys{
				Up:       key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "up")),
				Down:     key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "down")),
				PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
				PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
			},
			Retry:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
			Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
			FormNext:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
			FormPrev:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous")),
			FormChoose: key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose")),
			FormToggle: key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "toggle")),
			FormCancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
			Yes:        key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, apply")),
			No:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "no")),
			Choose:     key.NewBinding(key.WithKeys("left", "right", "tab", "shift+tab", "h", "l"), key.WithHelp("←/→", "choose")),
			Enter:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm")),
			Edit:       key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit values")),
			Continue:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
			Copy:       key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy")),
			QR:         key.NewBinding(key.WithKeys("Q"), key.WithHelp("Q", "QR code")),
			Stop:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop")),
			Done:       key.NewBinding(key.WithKeys("enter", "esc"), key.WithHelp("enter", "back to the step")),
			Recheck:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-check")),
		},
	}
}

// keyName is how prose names a binding's key ("x", "enter").
func keyName(b key.Binding) string { return b.Help().Key }

// helpKeys is a screen's help: short and full views (help.KeyMap).
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (k helpKeys) ShortHelp() []key.Binding  { return k.short }
func (k helpKeys) FullHelp() [][]key.Binding { return k.full }

// withHelp sets a binding's help text on a copy.
func withHelp(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}

// enable sets each binding's enabled state.
func enable(on bool, bs ...*key.Binding) {
	for _, b := range bs {
		b.SetEnabled(on)
	}
}
