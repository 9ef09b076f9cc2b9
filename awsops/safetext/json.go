package safetext

import (
	"encoding/json"
	"io"
	"unicode/utf8"
)

// jsonUnsafeRune is what JSON writes as a \u escape: DEL, C1 and bidi
// characters, and the line and paragraph separators. encoding/json already
// escapes C0 controls.
func jsonUnsafeRune(r rune) bool {
	return r == 0x7f || unsafeRune(r) || r == 0x2028 || r == 0x2029
}

// JSON rewrites encoded JSON so that DEL, C1 controls and bidi characters
// are \u escapes and invalid UTF-8 is \ufffd. Such characters only occur
// inside JSON strings, so the document means exactly what it meant. It
// returns b itself when there is nothing to change.
func JSON(b []byte) []byte {
	i := firstJSONUnsafe(b)
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	out = append(out, b[:i]...)
	for i < len(b) {
		c := b[i]
		if c < 0x7f {
			out = append(out, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			r = utf8.RuneError
			fallthrough
		case jsonUnsafeRune(r):
			out = append(out, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
		default:
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

func firstJSONUnsafe(b []byte) int {
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && size == 1) || jsonUnsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// NewJSONEncoder is json.NewEncoder(w) whose output goes through JSON.
// Each Encode writes one complete value, so no character is ever split
// between two writes.
func NewJSONEncoder(w io.Writer) *json.Encoder {
	return json.NewEncoder(jsonWriter{w})
}

type jsonWriter struct{ w io.Writer }

func (j jsonWriter) Write(p []byte) (int, error) {
	if _, err := j.w.Write(JSON(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
