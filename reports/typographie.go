package reports

import (
	"bytes"
	"regexp"
)

// French typography of the rendered pages (the rules of the Lexique des
// règles typographiques en usage à l'Imprimerie nationale), applied to the
// text between tags, once, after rendering, so that it holds for the
// templates' wording and for the data alike (place names from the COG are
// written with straight apostrophes):
//
//   - a typographic apostrophe (’) between letters, not a straight one;
//   - a no-break space before « : » and inside « guillemets », a narrow
//     no-break space before ; ! and ?;
//   - a number never parts from what follows it (3 ans, 101 départements,
//     12 %): the space after a digit becomes no-break;
//   - digits grouped by three with narrow no-break spaces (400 000);
//   - the minus sign U+2212 before a negative number, not a hyphen;
//   - dates day/month/year, not ISO.
//
// Left as they are: tags and their attributes, character references other
// than &#39; (the straight apostrophe html/template writes), and the content
// of script, style, code, pre, textarea, of any element with translate="no"
// (file names, identifiers: what a reader must copy as is) and of any
// element in English (lang="en").
func frenchTypography(page []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(page) + len(page)/50)
	skip := 0 // depth of elements whose text is left as is
	var skipTag []string
	for len(page) > 0 {
		lt := bytes.IndexByte(page, '<')
		if lt < 0 {
			lt = len(page)
		}
		if skip == 0 {
			out.Write(typesetText(page[:lt]))
		} else {
			out.Write(page[:lt])
		}
		page = page[lt:]
		if len(page) == 0 {
			break
		}
		gt := tagEnd(page)
		tag := page[:gt]
		out.Write(tag)
		page = page[gt:]
		name, closing := tagName(tag)
		switch {
		case name == "":
		case closing:
			if skip > 0 && skipTag[len(skipTag)-1] == name {
				skip--
				skipTag = skipTag[:len(skipTag)-1]
			}
		case rawText[name]:
			// script and style: their content ends at the closing tag.
			end := indexClosingTag(page, name)
			if end < 0 {
				end = len(page)
			}
			out.Write(page[:end])
			page = page[end:]
		case keepAsIs[name] || bytes.Contains(tag, []byte(`translate="no"`)) || bytes.Contains(tag, []byte(`lang="en"`)):
			if !voidElement[name] && !bytes.HasSuffix(tag, []byte("/>")) {
				skip++
				skipTag = append(skipTag, name)
			}
		case skip > 0 && name == skipTag[len(skipTag)-1] && !voidElement[name]:
			skip++ // the same element nested: count it, to close at the right one
			skipTag = append(skipTag, name)
		}
	}
	return out.Bytes()
}

var (
	rawText     = map[string]bool{"script": true, "style": true}
	keepAsIs    = map[string]bool{"code": true, "pre": true, "textarea": true, "kbd": true, "samp": true}
	voidElement = map[string]bool{"br": true, "img": true, "input": true, "meta": true, "link": true, "hr": true, "wbr": true, "source": true}
)

// tagEnd is the length of the tag (or comment) at the start of b.
func tagEnd(b []byte) int {
	if bytes.HasPrefix(b, []byte("<!--")) {
		if i := bytes.Index(b, []byte("-->")); i >= 0 {
			return i + 3
		}
		return len(b)
	}
	quote := byte(0)
	for i := 1; i < len(b); i++ {
		switch c := b[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1
		}
	}
	return len(b)
}

// indexClosingTag is the offset in b of the first "</" followed by name (a
// lower-case ASCII tag name) in any ASCII case, or -1: what
// bytes.Index(bytes.ToLower(b), "</"+name) finds on ASCII text, without
// lower-casing the rest of the page at every script (a data island is most
// of a département page, and the page has several scripts). Unlike it, it
// does not shift offsets after a rune whose lower case has another length
// in UTF-8 (İ, K) or after invalid UTF-8, and it folds ASCII only, as HTML
// does for tag names.
func indexClosingTag(b []byte, name string) int {
	for i := 0; ; i++ {
		j := bytes.Index(b[i:], []byte("</"))
		if j < 0 {
			return -1
		}
		i += j
		if rest := b[i+2:]; len(rest) >= len(name) && asciiLowerEqual(rest[:len(name)], name) {
			return i
		}
	}
}

// asciiLowerEqual reports whether b, lower-cased in ASCII, is name.
func asciiLowerEqual(b []byte, name string) bool {
	for k, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != name[k] {
			return false
		}
	}
	return true
}

// tagName is the lower-case name of the tag and whether it closes an
// element; "" for a comment, a doctype or a stray "<".
func tagName(tag []byte) (string, bool) {
	t := tag[1:]
	closing := len(t) > 0 && t[0] == '/'
	if closing {
		t = t[1:]
	}
	n := 0
	for n < len(t) && (t[n] >= 'a' && t[n] <= 'z' || t[n] >= 'A' && t[n] <= 'Z' || t[n] >= '0' && t[n] <= '9') {
		n++
	}
	if name, ok := commonTags[string(t[:n])]; ok {
		return name, closing // without allocating: a page has tens of thousands of tags
	}
	return string(bytes.ToLower(t[:n])), closing
}

// commonTags are the tag names of the pages, in lower case, each mapped to
// itself.
var commonTags = func() map[string]string {
	m := map[string]string{}
	for _, name := range []string{"", "a", "abbr", "br", "caption", "code", "details", "div", "em", "h1", "h2", "h3",
		"li", "p", "script", "section", "span", "strong", "style", "summary", "sup", "table", "tbody", "td", "th",
		"thead", "tr", "ul"} {
		m[name] = name
	}
	return m
}()

// The rules, in order. Letters include accented ones; a "space" is an
// ordinary space (U+0020) only: no-break ones are already right. A colon
// glued to a word ("Objectif: x", English spacing) gets its no-break space;
// an URL's "https:" is followed by "//", never by a space, so it is not
// touched.
//
// Each rule has a cheap necessary condition for its expression to match
// (may): most runs of text (a cell's "12,3", a name) meet none, and the
// expressions' backtracking was a third of the time to render a site. \d
// and \s are ASCII classes in Go's regexp: [0-9] and [\t\n\f\r ].
var typeRules = []struct {
	re   *regexp.Regexp
	repl []byte
	may  func(t []byte) bool
}{
	{regexp.MustCompile(`(\pL)(?:'|&#39;)(\pL)`), []byte("${1}\u2019${2}"),
		func(t []byte) bool { return bytes.IndexByte(t, '\'') >= 0 || bytes.Contains(t, []byte("&#39;")) }},
	{regexp.MustCompile(`(\d{4})-(\d{2})-(\d{2})\b`), []byte("${3}/${2}/${1}"),
		func(t []byte) bool { return adjacent(t, isDigit, '-') }},
	{regexp.MustCompile(`(^|[\s(\x{a0}\x{202f}])-(\d)`), []byte("${1}\u2212${2}"),
		func(t []byte) bool { return hasByteThen(t, '-', isDigit) }},
	{regexp.MustCompile(`(\d) (\d{3})\b`), []byte("${1}\u202f${2}"),
		func(t []byte) bool { return digitSpaceDigit(t) }},
	{regexp.MustCompile(` :(\s|$|\d)`), []byte("\u00a0:${1}"),
		func(t []byte) bool { return bytes.Contains(t, []byte(" :")) }},
	{regexp.MustCompile(`([\pL\d)»]):(\s)`), []byte("${1}\u00a0:${2}"),
		func(t []byte) bool { return hasByteThen(t, ':', isSpace) }},
	{regexp.MustCompile(` ([;!?])`), []byte("\u202f${1}"),
		func(t []byte) bool { return hasByteThen(t, ' ', isStrongPunct) }},
	{regexp.MustCompile(`« `), []byte("«\u00a0"),
		func(t []byte) bool { return bytes.Contains(t, []byte("« ")) }},
	{regexp.MustCompile(` »`), []byte("\u00a0»"),
		func(t []byte) bool { return bytes.Contains(t, []byte(" »")) }},
	{regexp.MustCompile(`(\d) (\pL|%|€)`), []byte("${1}\u00a0${2}"),
		func(t []byte) bool { return adjacent(t, isDigit, ' ') }},
}

func isDigit(c byte) bool       { return '0' <= c && c <= '9' }
func isSpace(c byte) bool       { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }
func isStrongPunct(c byte) bool { return c == ';' || c == '!' || c == '?' }

// adjacent reports whether some byte of t for which before holds is
// followed by the byte c.
func adjacent(t []byte, before func(byte) bool, c byte) bool {
	for i := 1; i < len(t); i++ {
		if t[i] == c && before(t[i-1]) {
			return true
		}
	}
	return false
}

// hasByteThen reports whether the byte c is followed in t by a byte for
// which after holds.
func hasByteThen(t []byte, c byte, after func(byte) bool) bool {
	for i := 0; i+1 < len(t); i++ {
		if t[i] == c && after(t[i+1]) {
			return true
		}
	}
	return false
}

// digitSpaceDigit reports whether t holds a digit, a space and a digit in a
// row.
func digitSpaceDigit(t []byte) bool {
	for i := 1; i+1 < len(t); i++ {
		if t[i] == ' ' && isDigit(t[i-1]) && isDigit(t[i+1]) {
			return true
		}
	}
	return false
}

// typesetText applies the rules to a run of text between tags.
func typesetText(t []byte) []byte {
	if len(bytes.TrimSpace(t)) == 0 {
		return t
	}
	for _, r := range typeRules {
		if !r.may(t) || !r.re.Match(t) {
			continue
		}
		// Applied twice: a match may overlap the previous one's end
		// (1 000 000, or "1 2 3").
		t = r.re.ReplaceAll(t, r.repl)
		if r.may(t) {
			t = r.re.ReplaceAll(t, r.repl)
		}
	}
	return t
}
