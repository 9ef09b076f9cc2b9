package tui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"

	"github.com/rootguard/rootguard/steps"
)

// Styles are the wizard's colours and text styles for one background.
type Styles struct {
	IsDark bool

	App        lipgloss.Style
	Brand      lipgloss.Style
	HeaderText lipgloss.Style
	HeaderDim  lipgloss.Style
	DemoBadge  lipgloss.Style
	// DryRunBadge marks a session that never writes.
	DryRunBadge lipgloss.Style
	RootBanner  lipgloss.Style

	Title    lipgloss.Style
	Subtitle lipgloss.Style
	Section  lipgloss.Style
	Phase    lipgloss.Style
	Text     lipgloss.Style
	Dim      lipgloss.Style
	Bold     lipgloss.Style
	Code     lipgloss.Style
	Link     lipgloss.Style
	Key      lipgloss.Style
	Cursor   lipgloss.Style
	Selected lipgloss.Style
	Flash    lipgloss.Style
	Error    lipgloss.Style
	Box      lipgloss.Style
	DemoBox  lipgloss.Style

	Status   map[steps.Status]lipgloss.Style
	Severity map[steps.Severity]lipgloss.Style

	ProgressFull  color.Color
	ProgressEmpty color.Color

	Help help.Styles
}

// DefaultStyles builds the styles for a dark or light terminal background.
func DefaultStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	var (
		fg      = ld(lipgloss.Color("#1F2328"), lipgloss.Color("#E6EDF3"))
		dim     = ld(lipgloss.Color("#6E7781"), lipgloss.Color("#8B949E"))
		accent  = ld(lipgloss.Color("#5A32C8"), lipgloss.Color("#B69CFF"))
		green   = ld(lipgloss.Color("#1A7F37"), lipgloss.Color("#3FB950"))
		red     = ld(lipgloss.Color("#CF222E"), lipgloss.Color("#FF7B72"))
		yellow  = ld(lipgloss.Color("#9A6700"), lipgloss.Color("#E3B341"))
		blue    = ld(lipgloss.Color("#0969DA"), lipgloss.Color("#79C0FF"))
		cyan    = ld(lipgloss.Color("#1B7C83"), lipgloss.Color("#56D4DD"))
		magenta = ld(lipgloss.Color("#8250DF"), lipgloss.Color("#D2A8FF"))
		border  = ld(lipgloss.Color("#D0D7DE"), lipgloss.Color("#30363D"))
		selBg   = ld(lipgloss.Color("#EAEEF2"), lipgloss.Color("#1F2937"))
	)
	s := Styles{IsDark: isDark}
	s.App = lipgloss.NewStyle().Foreground(fg)
	s.Brand = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.HeaderText = lipgloss.NewStyle().Foreground(fg)
	s.HeaderDim = lipgloss.NewStyle().Foreground(dim)
	s.DemoBadge = lipgloss.NewStyle().Bold(true).Reverse(true).Foreground(yellow)
	s.DryRunBadge = lipgloss.NewStyle().Bold(true).Reverse(true).Foreground(cyan)
	s.RootBanner = lipgloss.NewStyle().Bold(true).Foreground(red)
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(fg)
	s.Subtitle = lipgloss.NewStyle().Foreground(dim)
	s.Section = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Phase = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Text = lipgloss.NewStyle().Foreground(fg)
	s.Dim = lipgloss.NewStyle().Foreground(dim)
	s.Bold = lipgloss.NewStyle().Bold(true)
	s.Code = lipgloss.NewStyle().Foreground(cyan)
	s.Link = lipgloss.NewStyle().Underline(true).Foreground(blue)
	s.Key = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Cursor = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Selected = lipgloss.NewStyle().Background(selBg)
	s.Flash = lipgloss.NewStyle().Foreground(cyan)
	s.Error = lipgloss.NewStyle().Foreground(red)
	s.Box = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(border).Padding(0, 1)
	s.DemoBox = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(yellow).Padding(0, 1)
	s.Status = map[steps.Status]lipgloss.Style{
		steps.StatusPass:     lipgloss.NewStyle().Foreground(green),
		steps.StatusFail:     lipgloss.NewStyle().Bold(true).Foreground(red),
		steps.StatusWarn:     lipgloss.NewStyle().Foreground(yellow),
		steps.StatusManual:   lipgloss.NewStyle().Foreground(blue),
		steps.StatusAttested: lipgloss.NewStyle().Foreground(cyan),
		steps.StatusNA:       lipgloss.NewStyle().Foreground(dim),
		steps.StatusUnknown:  lipgloss.NewStyle().Foreground(magenta),
		steps.StatusChecking: lipgloss.NewStyle().Foreground(dim),
	}
	s.Severity = map[steps.Severity]lipgloss.Style{
		steps.SeverityCritical: lipgloss.NewStyle().Bold(true).Foreground(red),
		steps.SeverityHigh:     lipgloss.NewStyle().Foreground(yellow),
		steps.SeverityMedium:   lipgloss.NewStyle().Foreground(blue),
		steps.SeverityLow:      lipgloss.NewStyle().Foreground(dim),
		steps.SeverityInfo:     lipgloss.NewStyle().Foreground(dim),
	}
	s.ProgressFull = green
	s.ProgressEmpty = border
	// bubbles' help greys (#4A4A4A on dark) fade on a projector: the keys
	// take the text colour, what they do the dim one (about 6:1).
	s.Help = help.DefaultStyles(isDark)
	for _, k := range []*lipgloss.Style{&s.Help.ShortKey, &s.Help.FullKey} {
		*k = k.Foreground(fg)
	}
	for _, d := range []*lipgloss.Style{&s.Help.ShortDesc, &s.Help.FullDesc, &s.Help.ShortSeparator, &s.Help.FullSeparator, &s.Help.Ellipsis} {
		*d = d.Foreground(dim)
	}
	return s
}
