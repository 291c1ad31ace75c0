package sqlquote

import (
	"testing"
)

func TestQuote(t *testing.T) {
	for _, c := range []struct{ in, str, ident string }{
		{"plain", `'plain'`, `"plain"`},
		{"it's", `'it''s'`, `"it's"`},
		{`a "b"`, `'a "b"'`, `"a ""b"""`},
		{"", `''`, `""`},
		{"'; DROP TABLE runs; --", `'''; DROP TABLE runs; --'`, `"'; DROP TABLE runs; --"`},
	} {
		if got := String(c.in); got != c.str {
			t.Errorf("String(%q) = %s, want %s", c.in, got, c.str)
		}
		if got := Ident(c.in); got != c.ident {
			t.Errorf("Ident(%q) = %s, want %s", c.in, got, c.ident)
		}
	}
}

// A quoted value read back by the SQL lexer is the value: every quote
// inside is doubled, the whole enclosed once.
func FuzzString(f *testing.F) {
	for _, s := range []string{"", "'", "''", "a'b", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := String(s)
		if len(q) < 2 || q[0] != '\'' || q[len(q)-1] != '\'' {
			t.Fatalf("String(%q) = %q: not enclosed", s, q)
		}
		var back []byte
		body := q[1 : len(q)-1]
		for i := 0; i < len(body); i++ {
			if body[i] == '\'' {
				if i+1 >= len(body) || body[i+1] != '\'' {
					t.Fatalf("String(%q) = %q: a lone quote ends the literal early", s, q)
				}
				i++
			}
			back = append(back, body[i])
		}
		if string(back) != s {
			t.Fatalf("String(%q) reads back as %q", s, back)
		}
	})
}
