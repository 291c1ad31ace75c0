package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
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
		// The second pass of a rule, and rules whose quick check passes
		// without a match.
		{"<p>1 2 3 4 et 1 000 000</p>", "<p>1 2 3 4\u00a0et 1\u202f000\u202f000</p>"},
		{"<p>l'a'b, n'-1, 10:30, x :y, 3-4 ; « »</p>", "<p>l\u2019a\u2019b, n'-1, 10:30, x :y, 3-4\u202f; «\u00a0»</p>"},
		{"<p>a:\tb, 1\t000, 2026-12-031</p>", "<p>a\u00a0:\tb, 1\t000, 2026-12-031</p>"},
		// A script's end in any case, after letters whose lower case is
		// longer or shorter in UTF-8.
		{"<SCRIPT>l'a İ K</ScRiPt><p>l'a</p><style>l'a</STYLE>", "<SCRIPT>l'a İ K</ScRiPt><p>l\u2019a</p><style>l'a</STYLE>"},
		{"<script>l'a</scrip></script >l'a<script>l'a", "<script>l'a</scrip></script >l\u2019a<script>l'a"},
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

// naiveTypography is frenchTypography as it was before the rules got their
// quick checks: every rule's expression twice on every run of text, the end
// of a script found in the lower-cased rest of the page, every tag name
// lower-cased anew. The fast path must give the same bytes.
func naiveTypography(page []byte) []byte {
	var out bytes.Buffer
	skip := 0
	var skipTag []string
	for len(page) > 0 {
		lt := bytes.IndexByte(page, '<')
		if lt < 0 {
			lt = len(page)
		}
		if skip == 0 {
			out.Write(naiveTypeset(page[:lt]))
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
		name, closing := naiveTagName(tag)
		switch {
		case name == "":
		case closing:
			if skip > 0 && skipTag[len(skipTag)-1] == name {
				skip--
				skipTag = skipTag[:len(skipTag)-1]
			}
		case rawText[name]:
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
			skip++
			skipTag = append(skipTag, name)
		}
	}
	return out.Bytes()
}

func naiveTagName(tag []byte) (string, bool) {
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

func naiveTypeset(t []byte) []byte {
	if len(bytes.TrimSpace(t)) == 0 {
		return t
	}
	for _, r := range typeRules {
		t = r.re.ReplaceAll(t, r.repl)
		t = r.re.ReplaceAll(t, r.repl)
	}
	return t
}

// lowerKeepsOffsets reports whether bytes.ToLower(b) has every byte where b
// has it and makes no ASCII out of other runes: where naiveTypography finds
// a script's end where it is. Elsewhere (İ, K, invalid UTF-8) it cuts the
// script at a shifted offset, which frenchTypography no longer does.
func lowerKeepsOffsets(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r >= utf8.RuneSelf {
			l := unicode.ToLower(r)
			if l < utf8.RuneSelf || utf8.RuneLen(l) != utf8.RuneLen(r) {
				return false
			}
		}
	}
	return true
}

// typographySeeds are texts and pages to compare the fast path with the
// naive one on: the test cases, the golden pages, and the golden pages with
// their typography undone (about what the templates give).
func typographySeeds(tb testing.TB) [][]byte {
	var seeds [][]byte
	for _, s := range []string{
		"<td>Côte-d'Or</td>", "<p>Effectif compté : 94 postes, Objectif: 3 ans</p>", "<p>a ; b ! c ? « d »</p>",
		"<td>-18,2</td><td>de -5 à 3</td>", "<p>400 000, 1 234 567, 1 2 3 4</p>", "<p>en 3 ans, 12 %, 5 €</p>",
		"<p>le 2026-12-03.</p>", "<code>l'a : -1</code> d'e", "<script>x = 'a' ;</SCRIPT> l&#39;a",
		"(-3) \u00a0-4 \u202f-5\n-6", "a:\tb :\n 9 :1 x :", "2026-12-03x 2026-12-03-01 12024-01-015",
	} {
		seeds = append(seeds, []byte(s))
	}
	undo := strings.NewReplacer("\u2019", "'", "\u00a0", " ", "\u202f", " ", "\u2212", "-", "&#160;", " ")
	for _, name := range []string{"pages/methodologie.html", "pages/qualite.html", "fixture/index.html", "fixture/departement-01.html"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			tb.Fatal(err)
		}
		seeds = append(seeds, b, []byte(undo.Replace(string(b))))
	}
	return seeds
}

// The fast path gives the naive path's bytes on every seed page, and on
// every text run of them.
func TestFrenchTypographyNaive(t *testing.T) {
	for i, seed := range typographySeeds(t) {
		if got, want := frenchTypography(seed), naiveTypography(seed); !bytes.Equal(got, want) {
			t.Errorf("seed %d: frenchTypography differs from naiveTypography:\n got %q\nwant %q", i, got, want)
		}
		for _, run := range bytes.Split(seed, []byte("<")) {
			if got, want := typesetText(run), naiveTypeset(run); !bytes.Equal(got, want) {
				t.Errorf("typesetText(%q) = %q, want %q", run, got, want)
			}
		}
	}
}

func FuzzFrenchTypography(f *testing.F) {
	// Whole pages make the fuzzer crawl: the seeds are cut into pieces.
	for _, seed := range typographySeeds(f) {
		for len(seed) > 0 {
			n := min(len(seed), 400)
			f.Add(seed[:n])
			seed = seed[n:]
		}
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		if got, want := typesetText(page), naiveTypeset(page); !bytes.Equal(got, want) {
			t.Fatalf("typesetText(%q) = %q, want %q", page, got, want)
		}
		if !lowerKeepsOffsets(page) {
			return
		}
		if got, want := frenchTypography(page), naiveTypography(page); !bytes.Equal(got, want) {
			t.Fatalf("frenchTypography(%q) = %q, want %q", page, got, want)
		}
	})
}

// BenchmarkFrenchTypography compares the fast path with the naive one on a
// département page.
func BenchmarkFrenchTypography(b *testing.B) {
	page, err := os.ReadFile(filepath.Join("testdata", "fixture", "departement-01.html"))
	if err != nil {
		b.Fatal(err)
	}
	for _, bm := range []struct {
		name string
		f    func([]byte) []byte
	}{{"fast", frenchTypography}, {"naive", naiveTypography}} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bm.f(page)
			}
		})
	}
}
