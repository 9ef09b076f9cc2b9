package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rootguard/rootguard/steps"
)

// A fix's flags are its fields (steps.Field): a text field is a string
// flag, a bool field a flag without a value, a select field a string flag
// taking one of its options (and each option's own Flag, a bool alias), a
// multi field a comma-separated list. Only the flags that were set are
// given: the fix keeps the current values of the rest.

// reservedFlags are taken by every fix (and the global flags): a field
// with one of these keys would have no flag of its own.
var reservedFlags = []string{"yes", "dry-run", "confirm", "help", "list",
	"demo", "profile", "region", "state-dir", "no-save", "reset-demo"}

// fieldFlagNames lists the flags a field gets: its key, and for a select
// field each option's alias.
func fieldFlagNames(f steps.Field) []string {
	names := []string{f.Key}
	if f.Kind == steps.FieldSelect {
		for _, o := range f.Options {
			if o.Flag != "" {
				names = append(names, o.Flag)
			}
		}
	}
	return names
}

// registerFieldFlags adds a flag for every field, with completions of the
// choices, and returns the flags it added. A field whose flag would clash
// is left out (a test makes sure no fix has one).
func registerFieldFlags(c *cobra.Command, fields []steps.Field) map[string]bool {
	fs := c.Flags()
	owned := map[string]bool{}
	free := func(name string) bool { return !slices.Contains(reservedFlags, name) && fs.Lookup(name) == nil }
	for _, f := range fields {
		if !free(f.Key) {
			continue
		}
		owned[f.Key] = true
		usage := fieldUsage(f)
		switch f.Kind {
		case steps.FieldBool:
			fs.Bool(f.Key, false, usage)
		default:
			fs.String(f.Key, "", usage)
		}
		var values []string
		for _, o := range f.Options {
			values = append(values, o.Value)
		}
		switch f.Kind {
		case steps.FieldSelect:
			completeWords(c, f.Key, values...)
			for _, o := range f.Options {
				if o.Flag != "" && free(o.Flag) {
					owned[o.Flag] = true
					fs.Bool(o.Flag, false, fmt.Sprintf("%s (--%s %s)", o.Label, f.Key, o.Value))
				}
			}
		case steps.FieldMulti:
			_ = c.RegisterFlagCompletionFunc(f.Key, func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
				return listCompletions(toComplete, values), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
			})
		case steps.FieldText:
			_ = c.RegisterFlagCompletionFunc(f.Key, cobra.NoFileCompletions)
		}
	}
	return owned
}

// fieldUsage is a field's flag usage: its help (or label), then its
// choices one per line.
func fieldUsage(f steps.Field) string {
	// A choice lists its options; one whose options come from the account
	// (they are not known before connecting) says what to give instead.
	choices := len(f.Options) > 0
	usage := f.Help
	if usage == "" || (f.Kind == steps.FieldSelect || f.Kind == steps.FieldMulti) && choices {
		usage = f.Label
	}
	if f.Secret {
		usage += " (secret: a flag's value stays in your shell history; prefer the wizard)"
	}
	if f.Kind == steps.FieldMulti {
		if choices {
			usage += ", comma-separated:"
		} else {
			usage += " (comma-separated)"
		}
	}
	for _, o := range f.Options {
		usage += "\n" + o.Value
		// "Recommended: 14+ characters…" says its value already.
		label := o.Label
		if head, rest, ok := strings.Cut(label, ": "); ok && strings.EqualFold(head, o.Value) {
			label = rest
		}
		if label != "" && !strings.EqualFold(label, o.Value) {
			usage += ": " + lowerFirst(label)
		}
	}
	return usage
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if len(r) > 1 && r[1] >= 'A' && r[1] <= 'Z' {
		return s // an acronym: "IAM users"
	}
	return strings.ToLower(string(r[0])) + string(r[1:])
}

// fixInput is what the field flags (owned) give: the value of every flag
// that was set.
func fixInput(fs *pflag.FlagSet, fields []steps.Field, owned map[string]bool) (steps.Input, error) {
	in := steps.Input{Values: steps.Values{}, Given: map[string]bool{}}
	var es steps.FieldErrors
	for _, f := range fields {
		if fl := fs.Lookup(f.Key); owned[f.Key] && fl != nil && fl.Changed {
			in.Values[f.Key], in.Given[f.Key] = fl.Value.String(), true
		}
		if f.Kind != steps.FieldSelect {
			continue
		}
		for _, o := range f.Options {
			fl := fs.Lookup(o.Flag)
			if !owned[o.Flag] || fl == nil || !fl.Changed || fl.Value.String() != "true" {
				continue
			}
			if in.Given[f.Key] && in.Values[f.Key] != o.Value {
				es = append(es, steps.FieldError{Field: o.Flag, Message: fmt.Sprintf("cannot be combined with --%s %s", f.Key, in.Values[f.Key])})
				continue
			}
			in.Values[f.Key], in.Given[f.Key] = o.Value, true
		}
	}
	return in, es.Err()
}

// checkChoices makes sure a given select or multi value is one of the
// field's options.
func checkChoices(fields []steps.Field, in steps.Input) error {
	var es steps.FieldErrors
	for _, f := range fields {
		if !in.Given[f.Key] || (f.Kind != steps.FieldSelect && f.Kind != steps.FieldMulti) {
			continue
		}
		if len(f.Options) == 0 {
			continue // options read from the account: the fix's plan checks the value
		}
		var values []string
		for _, o := range f.Options {
			values = append(values, o.Value)
		}
		given := []string{in.Text(f.Key)}
		if f.Kind == steps.FieldMulti {
			given = in.List(f.Key)
		}
		for _, v := range given {
			if v != "" && !slices.Contains(values, v) { // an empty choice is no choice
				es = append(es, steps.FieldError{Field: f.Key, Message: fmt.Sprintf("must be %s (got %q)", orList(values), v)})
				break
			}
		}
	}
	return es.Err()
}

// orList is "a, b or c".
func orList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
