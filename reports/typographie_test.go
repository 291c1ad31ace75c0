package reports

import (
	"regexp"
	"strings"
	"testing"
)

func TestFrenchTypography(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<td>Côte-d'Or</td>", "<td>Côte-d\u2019Or</td>"},
		{"<td>Val-d&#39;Oise</td>", "<td>Val-d\u2019Oise</td>"},
		{"<p>Effectif compté : 94 postes</p>", "<p>Effectif compté\u00a0: 94\u00a0postes</p>"},
		{"<p>Objectif: accompagner</p>", "<p>Objectif\u00a0: accompagner</p>"},
		{"<p>a ; b ! c ?</p>", "<p>a\u202f; b\u202f! c\u202f?</p>"},
		{"<p>« Plus d'une personne »</p>", "<p>«\u00a0Plus d\u2019une personne\u00a0»</p>"},
		{"<td>-18,2</td><td>de -5 à 3</td>", "<td>\u221218,2</td><td>de \u22125\u00a0à 3</td>"},
		{"<p>400 000 personnes, 1 234 567</p>", "<p>400\u202f000\u00a0personnes, 1\u202f234\u202f567</p>"},
		{"<p>en 3 ans, 12 %</p>", "<p>en 3\u00a0ans, 12\u00a0%</p>"},
		{"<p>le 2026-12-03.</p>", "<p>le 03/12/2026.</p>"},
		// Left as they are: tags, attributes, scripts, code, English, what
		// must be copied as is, ranges and URLs.
		{`<a href="https://x.fr/a-1" title="l'a : b">https://x.fr</a>`, `<a href="https://x.fr/a-1" title="l'a : b">https://x.fr</a>`},
		{"<script>var a = 'b' ; x = -1;</script><p>c'd</p>", "<script>var a = 'b' ; x = -1;</script><p>c\u2019d</p>"},
		{"<code>l'a : -1</code> d'e", "<code>l'a : -1</code> d\u2019e"},
		{`<span lang="en">row has 3 fields: bad</span>`, `<span lang="en">row has 3 fields: bad</span>`},
		{`<th translate="no">l'export 2024-01-01.csv</th><td>l'a</td>`, `<th translate="no">l'export 2024-01-01.csv</th><td>l’a</td>`},
		{"<td>15-29</td><td>2019-2021</td>", "<td>15-29</td><td>2019-2021</td>"},
		{`<p>8&#160;: déjà</p>`, `<p>8&#160;: déjà</p>`},
	}
	for _, tt := range tests {
		if got := string(frenchTypography([]byte(tt.in))); got != tt.want {
			t.Errorf("frenchTypography(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
		// Idempotent: a second pass changes nothing.
		once := frenchTypography([]byte(tt.in))
		if twice := frenchTypography(once); string(twice) != string(once) {
			t.Errorf("frenchTypography is not idempotent on %q: %q then %q", tt.in, once, twice)
		}
	}
}

// typographyProblems lists the breaches of French typography in the text of
// a rendered page (outside tags, scripts, code, English and as-is elements).
func typographyProblems(page string) []string {
	text := regexp.MustCompile(`(?s)<(script|style|code|pre)\b.*?</(script|style|code|pre)>|<[^>]*(translate="no"|lang="en")[^>]*>[^<]*|<[^>]*>`).ReplaceAllString(page, "\x00")
	text = strings.ReplaceAll(text, "&#39;", "'")
	var out []string
	for _, r := range []struct{ name, re string }{
		{"straight apostrophe", `\pL'\pL`},
		{"ordinary space before a colon", ` :`},
		{"colon glued to a word", `\pL:\s`},
		{"ordinary space before ; ! ?", ` [;!?]`},
		{"hyphen for a minus", `(^|[\s(\x00])-\d`},
		{"ISO date", `\d{4}-\d{2}-\d{2}`},
		{"digits grouped by an ordinary space", `\d \d{3}\b`},
		{"a number parted from its unit", `\d (\pL|%)`},
	} {
		for _, m := range regexp.MustCompile(r.re).FindAllStringIndex(text, 5) {
			out = append(out, r.name+": "+strings.ReplaceAll(text[max(0, m[0]-25):min(len(text), m[1]+25)], "\x00", "|"))
		}
	}
	return out
}

// The methodology and quality pages keep French typography, data included.
func TestPagesFrenchTypography(t *testing.T) {
	for _, pg := range pages {
		for _, p := range typographyProblems(renderPage(t, pg.render, pagesSite())) {
			t.Errorf("%s: %s", pg.name, p)
		}
	}
}
