package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rootguard/rootguard/steps"
)

// A mistyped command, flag or ID gets one line and, when something is
// close, a suggestion: unknown command "chek" — did you mean "check"?

// closest returns the candidate nearest to word, or "" when none is near
// enough to be what was meant: a few edits away (more for longer words), or
// the only candidate word is the start of.
func closest(word string, candidates []string) string {
	w := strings.ToLower(word)
	if w == "" {
		return ""
	}
	limit := 1
	switch n := len([]rune(w)); {
	case n > 8:
		limit = 3
	case n > 4:
		limit = 2
	}
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if d := editDistance(w, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return best
	}
	var prefixed []string
	for _, c := range candidates {
		if len(w) >= 3 && strings.HasPrefix(strings.ToLower(c), w) {
			prefixed = append(prefixed, c)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return ""
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of two neighbours each count one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// didYouMean is ` — did you mean "x"?` for the closest candidate, or "".
func didYouMean(word string, candidates []string) string {
	if c := closest(word, candidates); c != "" {
		return fmt.Sprintf(" — did you mean %q?", c)
	}
	return ""
}

// unknownCommand is a mistyped command of c.
func unknownCommand(c *cobra.Command, name string) error {
	var names []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() || sub.Name() == "help" {
			names = append(names, sub.Name())
		}
	}
	if hint := didYouMean(name, names); hint != "" {
		return usageErr(fmt.Sprintf("unknown command %q%s", name, hint))
	}
	return usageErr(fmt.Sprintf("unknown command %q; run `%s --help` to see the commands", name, c.CommandPath()))
}

// unknownItem is a mistyped checklist item ID; where names the flag or
// argument it was given in ("--only", "" for none).
func unknownItem(where, id string, ids []string) error {
	prefix := ""
	if where != "" {
		prefix = where + ": "
	}
	if hint := didYouMean(id, ids); hint != "" {
		return usageErr(fmt.Sprintf("%sunknown item %q%s", prefix, id, hint))
	}
	return usageErr(fmt.Sprintf("%sunknown item %q; items are: %s", prefix, id, strings.Join(ids, ", ")))
}

// checkItemIDs makes sure every ID names a checklist item.
func checkItemIDs(where string, ids []string) error {
	all := steps.IDs()
	for _, id := range ids {
		if !slices.Contains(all, id) {
			return unknownItem(where, id, all)
		}
	}
	return nil
}

// flagErrorFunc turns a flag error into one line with a suggestion. A
// mistyped command or fix before the flags is reported first: in
// `rootguard fix pasword-policy --preset strict` the flags belong to a fix
// that does not exist.
func flagErrorFunc(args []string) func(*cobra.Command, error) error {
	return func(c *cobra.Command, err error) error {
		if perr := positionalError(c, args); perr != nil {
			return perr
		}
		return flagError(c, err)
	}
}

// positionalError is c's complaint about the word where its subcommand
// should be, if c has subcommands and that word names none of them.
func positionalError(c *cobra.Command, args []string) error {
	if !c.HasSubCommands() || c.Args == nil {
		return nil
	}
	words := positionals(c.Flags(), args)
	depth := 0
	for p := c; p.HasParent(); p = p.Parent() {
		depth++
	}
	if len(words) <= depth {
		return nil
	}
	rest := words[depth:]
	for _, sub := range c.Commands() {
		if sub.Name() == rest[0] || slices.Contains(sub.Aliases, rest[0]) {
			return nil
		}
	}
	return c.Args(c, rest)
}

// positionals lists the words of args that are not flags or flag values.
func positionals(fs *pflag.FlagSet, args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(out, args[i+1:]...)
		case strings.HasPrefix(a, "--"):
			name := strings.TrimPrefix(a, "--")
			if strings.Contains(name, "=") {
				continue
			}
			if f := fs.Lookup(name); f != nil && f.NoOptDefVal == "" {
				i++ // its value
			}
		case strings.HasPrefix(a, "-") && len(a) > 1:
			if len(a) == 2 {
				if f := fs.ShorthandLookup(a[1:]); f != nil && f.NoOptDefVal == "" {
					i++
				}
			}
		default:
			out = append(out, a)
		}
	}
	return out
}

// flagError is one line about a flag error.
func flagError(c *cobra.Command, err error) error {
	var names []string
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	})
	see := fmt.Sprintf("; run `%s --help` to see the flags", c.CommandPath())
	var notExist *pflag.NotExistError
	var needsValue *pflag.ValueRequiredError
	var invalid *pflag.InvalidValueError
	switch {
	case errors.As(err, &notExist):
		typed := "--" + notExist.GetSpecifiedName()
		if short := notExist.GetSpecifiedShortnames(); short != "" {
			// -demo: a long flag with one dash.
			typed = "-" + short
			if c.Flags().Lookup(short) != nil {
				return usageErr(fmt.Sprintf("unknown flag %s — did you mean --%s?", typed, short))
			}
			if name := closest(short, names); name != "" {
				return usageErr(fmt.Sprintf("unknown flag %s — did you mean --%s?", typed, name))
			}
			return usageErr("unknown flag " + typed + see)
		}
		if name := closest(notExist.GetSpecifiedName(), names); name != "" {
			return usageErr(fmt.Sprintf("unknown flag %s — did you mean --%s?", typed, name))
		}
		return usageErr("unknown flag " + typed + see)
	case errors.As(err, &needsValue):
		return usageErr(fmt.Sprintf("--%s needs a value", needsValue.GetFlag().Name))
	case errors.As(err, &invalid):
		var own *exitError // a flag's own message (an unknown demo scenario)
		if errors.As(invalid.Unwrap(), &own) {
			return own
		}
		return usageErr(fmt.Sprintf("--%s: %q is not a valid value", invalid.GetFlag().Name, invalid.GetValue()))
	}
	return usageErr(err.Error())
}
