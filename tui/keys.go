package tui

import "charm.land/bubbles/v2/key"

// KeyMap is every key the wizard answers to.
type KeyMap struct {
	Up         key.Binding
	Down       key.Binding
	PageUp     key.Binding
	PageDown   key.Binding
	Top        key.Binding
	Bottom     key.Binding
	Open       key.Binding
	Continue   key.Binding
	NextOpen   key.Binding
	NextItem   key.Binding
	PrevItem   key.Binding
	Back       key.Binding
	Recheck    key.Binding
	RecheckAll key.Binding
	Attest     key.Binding
	Unattest   key.Binding
	Copy       key.Binding
	Browser    key.Binding
	QR         key.Binding
	Simulate   key.Binding
	Fix        key.Binding
	Yes        key.Binding
	No         key.Binding
	Edit       key.Binding
	Summary    key.Binding
	Help       key.Binding
	Quit       key.Binding
	Interrupt  key.Binding
}

// DefaultKeyMap returns the wizard's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:     key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page up")),
		PageDown:   key.NewBinding(key.WithKeys("pgdown", "space"), key.WithHelp("pgdn/space", "page down")),
		Top:        key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:     key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
		Open:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open step")),
		Continue:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		NextOpen:   key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next to do")),
		NextItem:   key.NewBinding(key.WithKeys("tab", "right", "l"), key.WithHelp("→/tab", "next item")),
		PrevItem:   key.NewBinding(key.WithKeys("shift+tab", "left", "h"), key.WithHelp("←", "previous item")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Recheck:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-check")),
		RecheckAll: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "re-check all")),
		Attest:     key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mark done")),
		Unattest:   key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo mark")),
		Copy:       key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy link")),
		Browser:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open link")),
		QR:         key.NewBinding(key.WithKeys("Q"), key.WithHelp("Q", "QR code")),
		Simulate:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "simulate (demo)")),
		Fix:        key.NewBinding(key.WithKeys("x", "enter"), key.WithHelp("x", "fix this")),
		Yes:        key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, apply")),
		No:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "no")),
		Edit:       key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		Summary:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "finish/summary")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		Quit:       key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Interrupt:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}

// screenKeys is the help for one screen: short and full views.
type screenKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (k screenKeys) ShortHelp() []key.Binding  { return k.short }
func (k screenKeys) FullHelp() [][]key.Binding { return k.full }
