package sql

import "strings"

// SplitStatements splits a text of SQL into its statements, at the
// semicolons outside quotes and comments, in order, without the
// semicolons; a piece holding only blanks and comments is dropped. It knows
// DuckDB's lexical rules as far as statement ends go: 'strings' (” inside),
// E'strings' (\' inside), "identifiers" ("" inside), $tag$dollar
// quotes$tag$, -- line comments and /* nested */ block comments. An
// unterminated quote or comment runs to the end of the text. It is only a
// splitter: Query still has DuckDB check that each piece is one statement.
func SplitStatements(text string) []string {
	var out []string
	start := 0
	emit := func(end int) {
		piece := text[start:end]
		if strings.TrimSpace(stripLeadingComments(piece)) != "" {
			out = append(out, strings.TrimSpace(piece))
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ';':
			emit(i)
			i++
			start = i
		case c == '-' && strings.HasPrefix(text[i:], "--"):
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				i = len(text)
			} else {
				i += j + 1
			}
		case c == '/' && strings.HasPrefix(text[i:], "/*"):
			end := blockCommentEnd(text[i:])
			if end < 0 {
				i = len(text)
			} else {
				i += end
			}
		case c == '\'':
			backslash := i > 0 && (text[i-1] == 'e' || text[i-1] == 'E') && (i < 2 || !isIdentChar(text[i-2]))
			i = quoteEnd(text, i+1, '\'', backslash)
		case c == '"':
			i = quoteEnd(text, i+1, '"', false)
		case c == '$' && (i == 0 || !isIdentChar(text[i-1])):
			tag, ok := dollarTag(text[i:])
			if !ok {
				i++
				continue
			}
			j := strings.Index(text[i+len(tag):], tag)
			if j < 0 {
				i = len(text)
			} else {
				i += len(tag) + j + len(tag)
			}
		default:
			i++
		}
	}
	emit(len(text))
	return out
}

// quoteEnd returns the index just after the closing quote q of a quoted
// text starting at i (a doubled quote is one character of the text; with
// backslash, \ escapes the next character), or len(s).
func quoteEnd(s string, i int, q byte, backslash bool) int {
	for i < len(s) {
		switch {
		case backslash && s[i] == '\\':
			i += 2
		case s[i] == q && i+1 < len(s) && s[i+1] == q:
			i += 2
		case s[i] == q:
			return i + 1
		default:
			i++
		}
	}
	return len(s)
}

// blockCommentEnd returns the length of the block comment (nested ones
// included) at the start of s, or -1 when it is not closed.
func blockCommentEnd(s string) int {
	depth := 0
	for i := 0; i+1 < len(s); {
		switch {
		case s[i] == '/' && s[i+1] == '*':
			depth++
			i += 2
		case s[i] == '*' && s[i+1] == '/':
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return -1
}

// dollarTag returns the opening tag of a dollar quote at the start of s
// ($$ or $name$), if there is one: $1 is a parameter, not a quote.
func dollarTag(s string) (string, bool) {
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '$':
			return s[:i+1], true
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80:
		case c >= '0' && c <= '9' && i > 1:
		default:
			return "", false
		}
	}
	return "", false
}

func isIdentChar(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
