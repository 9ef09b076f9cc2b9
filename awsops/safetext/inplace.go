package safetext

import (
	"encoding/json"
	"reflect"
	"strings"
	"unicode/utf8"
)

// InPlace sanitizes, with Text, every string reachable from v through
// exported struct fields, pointers, slices, arrays, maps (keys included) and
// interfaces. v must be a pointer (or hold pointers) for the change to be
// seen. []byte is left alone: bytes are parsed, not shown. A string that
// holds a JSON document also has its escaped unsafe characters ("\u001b")
// made visible, so decoding it later yields clean strings.
func InPlace(v any) {
	if v == nil {
		return
	}
	w := walker{}
	w.walk(reflect.ValueOf(v), 0)
}

// visitedAfter is the depth past which pointers are remembered, so a cyclic
// value cannot loop forever; decoded answers are trees far shallower.
const visitedAfter = 64

type walker struct {
	visited map[uintptr]bool
}

func (w *walker) walk(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			if s := v.String(); !Clean(s) || mayHoldJSON(s) {
				v.SetString(Value(s))
			}
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if depth > visitedAfter {
			if w.visited == nil {
				w.visited = map[uintptr]bool{}
			}
			if w.visited[v.Pointer()] {
				return
			}
			w.visited[v.Pointer()] = true
		}
		w.walk(v.Elem(), depth+1)
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		e := v.Elem()
		if e.Kind() == reflect.Pointer {
			w.walk(e, depth+1)
			return
		}
		if !v.CanSet() || !hasStrings(e.Type()) {
			return
		}
		c := reflect.New(e.Type()).Elem()
		c.Set(e)
		w.walk(c, depth+1)
		v.Set(c)
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				w.walk(v.Field(i), depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		if !hasStrings(v.Type().Elem()) { // []byte among them
			return
		}
		for i := range v.Len() {
			w.walk(v.Index(i), depth+1)
		}
	case reflect.Map:
		w.walkMap(v, depth)
	}
}

func (w *walker) walkMap(m reflect.Value, depth int) {
	if m.IsNil() || m.Len() == 0 {
		return
	}
	kt, et := m.Type().Key(), m.Type().Elem()
	keys, vals := hasStrings(kt), hasStrings(et)
	if !keys && !vals {
		return
	}
	for _, k := range m.MapKeys() {
		val := m.MapIndex(k)
		nk := k
		if keys {
			nk = reflect.New(kt).Elem()
			nk.Set(k)
			w.walk(nk, depth+1)
		}
		nv := val
		if vals {
			nv = reflect.New(et).Elem()
			nv.Set(val)
			w.walk(nv, depth+1)
		}
		if !nk.Equal(k) {
			m.SetMapIndex(k, reflect.Value{})
		}
		m.SetMapIndex(nk, nv)
	}
}

// hasStrings reports whether a value of type t can hold a string InPlace
// would visit (a cheap over-approximation for containers of numbers).
func hasStrings(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.Func,
		reflect.Chan, reflect.UnsafePointer:
		return false
	}
	return true
}

// Value is what InPlace does to one string: Text, and when s holds a JSON
// document, its unsafe characters (raw or escaped) made visible inside its
// strings, so that it stays valid JSON that decodes to clean strings.
func Value(s string) string {
	if mayHoldJSON(s) && json.Valid([]byte(s)) {
		// A raw CR in valid JSON is whitespace between tokens: a space
		// means the same. Raw DEL, C1 and bidi characters become escapes
		// (JSON), then every unsafe escape its visible form.
		s = cleanJSONEscapes(string(JSON([]byte(strings.ReplaceAll(s, "\r", " ")))))
	}
	return Text(s)
}

// mayHoldJSON is a cheap test for a JSON document with escapes or unsafe
// characters worth a look.
func mayHoldJSON(s string) bool {
	t := strings.TrimLeft(s, " \t\n\r")
	return t != "" && (t[0] == '{' || t[0] == '[') && (strings.IndexByte(t, '\\') >= 0 || !Clean(t))
}

// cleanJSONEscapes rewrites, in a valid JSON document, every escape that
// decodes to an unsafe character into one that decodes to its visible
// form: "\u001b" becomes "\\x1b", "\u202e" becomes "U+202E". The document
// stays valid and means the same apart from those characters.
func cleanJSONEscapes(s string) string {
	var b []byte
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			continue
		}
		start := i
		var r rune
		end := i + 2
		switch s[i+1] {
		case 'b':
			r = '\b'
		case 'f':
			r = '\f'
		case 'r':
			r = '\r'
		case 'u':
			if i+6 > len(s) {
				i++
				continue
			}
			r = hexRune(s[i+2 : i+6])
			end = i + 6
			if !utf8.ValidRune(r) {
				// A surrogate: a pair is a rune beyond the ones we escape.
				i = end - 1
				continue
			}
		default:
			i++ // \" \\ \/ \n \t: safe
			continue
		}
		i = end - 1
		var vis []byte
		switch {
		case r < 0x20 && r != '\n' && r != '\t':
			vis = appendASCIIEscape(nil, byte(r))
		case r == 0x7f:
			vis = appendASCIIEscape(nil, 0x7f)
		case unsafeRune(r):
			vis = appendCodePoint(nil, r)
		default:
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(s)+8)
		}
		b = append(b, s[last:start]...)
		for _, c := range vis {
			if c == '\\' {
				b = append(b, '\\')
			}
			b = append(b, c)
		}
		last = end
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

// hexRune parses four hex digits; -1 when they are not.
func hexRune(h string) rune {
	var r rune
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return -1
		}
	}
	return r
}
