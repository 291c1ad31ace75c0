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
			end := bytes.Index(bytes.ToLower(page), []byte("</"+name))
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
	return string(bytes.ToLower(t[:n])), closing
}

// The rules, in order. Letters include accented ones; a "space" is an
// ordinary space (U+0020) only: no-break ones are already right. A colon
// glued to a word ("Objectif: x", English spacing) gets its no-break space;
// an URL's "https:" is followed by "//", never by a space, so it is not
// touched.
var typeRules = []struct {
	re   *regexp.Regexp
	repl []byte
}{
	{regexp.MustCompile(`(\pL)(?:'|&#39;)(\pL)`), []byte("${1}\u2019${2}")},
	{regexp.MustCompile(`(\d{4})-(\d{2})-(\d{2})\b`), []byte("${3}/${2}/${1}")},
	{regexp.MustCompile(`(^|[\s(\x{a0}\x{202f}])-(\d)`), []byte("${1}\u2212${2}")},
	{regexp.MustCompile(`(\d) (\d{3})\b`), []byte("${1}\u202f${2}")},
	{regexp.MustCompile(` :(\s|$|\d)`), []byte("\u00a0:${1}")},
	{regexp.MustCompile(`([\pL\d)»]):(\s)`), []byte("${1}\u00a0:${2}")},
	{regexp.MustCompile(` ([;!?])`), []byte("\u202f${1}")},
	{regexp.MustCompile(`« `), []byte("«\u00a0")},
	{regexp.MustCompile(` »`), []byte("\u00a0»")},
	{regexp.MustCompile(`(\d) (\pL|%|€)`), []byte("${1}\u00a0${2}")},
}

// typesetText applies the rules to a run of text between tags.
func typesetText(t []byte) []byte {
	if len(bytes.TrimSpace(t)) == 0 {
		return t
	}
	for _, r := range typeRules {
		// Applied twice: a match may overlap the previous one's end
		// (1 000 000, or "1 2 3").
		t = r.re.ReplaceAll(t, r.repl)
		t = r.re.ReplaceAll(t, r.repl)
	}
	return t
}
