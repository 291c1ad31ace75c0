package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/illectro/illectro/samples"
	isql "github.com/illectro/illectro/sql"
)

// The hostile-input checks of a whole run (issue 8): a venue listing whose
// names, communes, programmes, addresses, services and ids carry script,
// markup and spreadsheet-formula payloads is loaded from the inbox, then the
// published pages are opened in Chromium (no payload runs, each shows as
// text) and the downloads are read (formulas neutralised where the project
// promises it); inbox file names that try to escape the inbox or break the
// pages; remote sources whose names try to write outside the inbox.

// hostileTexts are the payloads of the venue listing. Leading blanks are
// trimmed at load time, so "\t=1+2" is stored, shown and exported as "=1+2".
var hostileTexts = []string{
	`<script>window.__pwned=1</script>`,
	`<img src=x onerror="window.__pwned=2">`,
	`"><svg onload=window.__pwned=3>`,
	`javascript:window.__pwned=4`,
	`</script><script>window.__pwned=5</script>`,
	`{{.}}`,
	`=cmd|' /C calc'!A0`,
	`@SUM(1+1)`,
	`+1`,
	`-1`,
	"\t=1+2",
	"\r=1+3",
	`<img src=x onerror=alert(13)>`,
	`';alert(14);//`,
	`&lt;b&gt;entité&lt;/b&gt;`,
}

// hostilePlace is where a hostile venue stands: a real commune of Nord or
// Pas-de-Calais, far enough from the others that no two venues merge.
type hostilePlace struct {
	lat, lon                   float64
	codeInsee, postal, commune string
}

var hostilePlaces = []hostilePlace{
	{50.6369, 3.0635, "59350", "59000", "Lille"},
	{50.6901, 3.1817, "59512", "59100", "Roubaix"},
	{50.7225, 3.1603, "59599", "59200", "Tourcoing"},
	{51.0347, 2.3770, "59183", "59140", "Dunkerque"},
	{50.3584, 3.5232, "59606", "59300", "Valenciennes"},
	{50.3700, 3.0794, "59178", "59500", "Douai"},
	{50.1757, 3.2346, "59122", "59400", "Cambrai"},
	{50.2776, 3.9725, "59392", "59600", "Maubeuge"},
	{50.2914, 2.7778, "62041", "62000", "Arras"},
	{50.4322, 2.8276, "62498", "62300", "Lens"},
	{50.9513, 1.8563, "62193", "62100", "Calais"},
	{50.7253, 1.6137, "62160", "62200", "Boulogne-sur-Mer"},
	{50.5303, 2.6406, "62119", "62400", "Béthune"},
	{50.7498, 2.2523, "62765", "62500", "Saint-Omer"},
	{50.6229, 2.7665, "62215", "62138", "Cuinchy"},
}

// hostileVenue is one row of the hostile listing and what the pages and the
// GeoJSON must show of it.
type hostileVenue struct {
	id, nom, commune, adresse string
	programme                 string // a national programme the page shows, "" if none
	dep                       string
}

// hostileVenues are the rows of the listing: every payload as a name, an
// address, a service and in the id; every third one as the commune too, and
// those without a '|' (the list separator) as a national programme.
func hostileVenues() []hostileVenue {
	vs := make([]hostileVenue, len(hostileTexts))
	for i, p := range hostileTexts {
		pl := hostilePlaces[i]
		v := hostileVenue{id: fmt.Sprintf("%s-hostile-%02d", p, i+1), nom: p, commune: pl.commune, adresse: p, dep: pl.codeInsee[:2]}
		if i%3 == 0 {
			v.commune = p
		}
		if !strings.Contains(p, "|") {
			v.programme = p
		}
		vs[i] = v
	}
	return vs
}

// hostileVenuesCSV writes the listing in the national schema v1.0.2, with the
// header of the bundled Hauts-de-France listing.
func hostileVenuesCSV(t *testing.T) []byte {
	t.Helper()
	b, err := samples.FS.ReadFile("lieux_mediation_numerique_hauts-de-france_2023_v1.0.2.csv")
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(b), "\n")
	cols := strings.Split(strings.TrimSpace(header), ",")
	idx := map[string]int{}
	for i, c := range cols {
		idx[c] = i
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(cols)
	for i, v := range hostileVenues() {
		pl := hostilePlaces[i]
		rec := make([]string, len(cols))
		set := func(col, val string) {
			j, ok := idx[col]
			if !ok {
				t.Fatalf("the sample's header has no column %q", col)
			}
			rec[j] = val
		}
		set("id", v.id)
		set("nom", v.nom)
		set("commune", v.commune)
		set("code_postal", pl.postal)
		set("code_insee", pl.codeInsee)
		set("adresse", v.adresse)
		set("latitude", fmt.Sprintf("%.6f", pl.lat))
		set("longitude", fmt.Sprintf("%.6f", pl.lon))
		set("source", "hostile-test")
		set("date_maj", "2024-03-01")
		set("services", "Aide aux démarches administratives|"+v.nom)
		programmes := "Conseillers numériques"
		if v.programme != "" {
			programmes += "|" + v.programme
		}
		set("dispositif_programmes_nationaux", programmes)
		set("site_web", "javascript:window.__pwned=40")
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	return buf.Bytes()
}

// hostileMediatorsCSV is a mediators file whose structure names look like
// formulas and markup; the last row, with markup as its commune code, is
// rejected.
func hostileMediatorsCSV(t *testing.T) []byte {
	t.Helper()
	b, err := samples.FS.ReadFile("cnum_structures_2023-07-25.csv")
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(b), "\n")
	cols := strings.Split(strings.TrimSpace(header), ",")
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(cols)
	rows := []map[string]string{
		{"nom_structure": `=cmd|' /C calc'!A0`, "code_insee": "59350", "code_postal": "59000"},
		{"nom_structure": `@SUM(1+1)`, "code_insee": "62041", "code_postal": "62000"},
		{"nom_structure": `<script>window.__pwned=20</script>`, "code_insee": "<b>59350</b>", "code_postal": "59000"},
	}
	for _, r := range rows {
		rec := make([]string, len(cols))
		for i, c := range cols {
			switch c {
			case "nb_conseillers_attribues", "nb_conseillers_recrutes":
				rec[i] = "1"
			default:
				rec[i] = r[c]
			}
		}
		w.Write(rec)
	}
	w.Flush()
	return buf.Bytes()
}

// Names of the hostile run's inbox files: the loaded listing's name and the
// refused file's carry markup too, for the data-quality page.
const (
	hostileVenuesName  = `lieux "hostiles" <img src=x onerror=alert(8)>.csv`
	hostileRefusedName = `<svg onload=alert(9)>.csv`
)

// rawMarkup are the pieces of the payloads that must never reach an HTML or
// JS file unescaped.
var rawMarkup = []string{"<script>window.__pwned", "<img src=x", "<svg onload", "<b>59350</b>"}

// TestHostileRun runs the pipeline once on an inbox holding both sets of
// hostile inputs, then checks each from its side: the payloads of the
// venue listing (stored as given, published escaped, never run in
// Chromium, downloads as promised) and the hostile file names (loaded or
// refused with a reason, nothing read, moved or written outside the inbox,
// names escaped on the data-quality page). One run keeps the test short.
func TestHostileRun(t *testing.T) {
	t.Parallel() // a pipeline run uses about one core of two: two such tests share the machine
	chromium := findChromium()
	if chromium == "" && os.Getenv("CI") == "true" {
		t.Fatal("chromium is required in CI: .ci/run installs it (no chromium, chromium-browser or google-chrome in PATH)")
	}
	start := time.Now()
	root := t.TempDir()
	db := filepath.Join(root, "illectro.duckdb")
	out := filepath.Join(root, "public")
	inbox := filepath.Join(root, "inbox")
	writeInbox(t, filepath.Join(inbox, "venues", hostileVenuesName), hostileVenuesCSV(t))
	writeInbox(t, filepath.Join(inbox, "venues", hostileRefusedName), []byte("ceci;n'est pas\nune;liste de lieux\n"))
	writeInbox(t, filepath.Join(inbox, "mediators", "structures.csv"), hostileMediatorsCSV(t))
	names := plantHostileNames(t, root, inbox)

	stdout, stderr, err := runCLI(t, t.Context(), nil, "", "run", "--db", db, "--out", out, "--inbox", inbox)
	if err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr)
	}
	t.Logf("run took %s; summary:\n%s", time.Since(start).Round(time.Millisecond), stdout)
	// Loaded: the hostile listing, the mediators and 4 listings with
	// hostile names; refused: hostileRefusedName and 2 hostile names.
	if want := fmt.Sprintf("files: 6 loaded, 0 already loaded, 3 refused; rows: %d loaded, 1 rejected", len(hostileTexts)+2+4); !strings.Contains(stdout, want) {
		t.Errorf("run pipeline.Summary =\n%s\nwant %q: the listing's %d venues, 2 of the 3 mediator rows (the third rejected), the 4 listings with hostile names",
			stdout, want, len(hostileTexts))
	}
	for _, f := range []string{
		filepath.Join(inbox, "venues", "processed", hostileVenuesName),
		filepath.Join(inbox, "venues", "failed", hostileRefusedName),
		filepath.Join(inbox, "venues", "failed", hostileRefusedName+".reason.txt"),
		filepath.Join(inbox, "mediators", "processed", "structures.csv"),
	} {
		if _, err := os.Lstat(f); err != nil {
			t.Errorf("after the run: %v", err)
		}
	}
	venues := hostileVenues()
	site, err := filepath.EvalSymlinks(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("stored", func(t *testing.T) { checkHostileStored(t, db, venues) })
	t.Run("inbox names", func(t *testing.T) { checkHostileNames(t, names, db, site) })
	t.Run("sources", func(t *testing.T) { checkNoRawMarkup(t, site) })
	t.Run("downloads", func(t *testing.T) { checkHostileDownloads(t, filepath.Join(site, "telechargements"), venues) })

	if chromium == "" {
		t.Skip("SKIPPED: NO CHROMIUM IN PATH, the hostile pages were NOT opened in a browser; install it with `apt-get install -y chromium`")
	}
	ctx, cancel := context.WithTimeout(t.Context(), browserTimeout)
	defer cancel()
	browserCtx, browserLog := startChromium(t, ctx, chromium)
	browserStart := time.Now()
	t.Run("index.html", func(t *testing.T) {
		got := openHostilePage(t, browserCtx, out, "index.html", indexHostileScript)
		var r struct {
			Points int      `json:"points"`
			Tips   []string `json:"tips"`
		}
		decodeInto(t, got, &r)
		if want := len(venues) + 4; r.Points != want {
			t.Errorf("the venues layer shows %d points, want %d", r.Points, want)
		}
		for i, tip := range r.Tips {
			if tip != "Lieu de médiation numérique" {
				t.Errorf("tooltip of venue point %d = %q, want \"Lieu de médiation numérique\"", i, tip)
			}
		}
	})
	for _, dep := range []string{"59", "62"} {
		t.Run("departements/"+dep+".html", func(t *testing.T) {
			got := openHostilePage(t, browserCtx, out, "departements/"+dep+".html", depHostileScript)
			checkDepartementPage(t, got, dep, venues)
		})
	}
	t.Run("qualite.html", func(t *testing.T) {
		got := openHostilePage(t, browserCtx, out, "qualite.html", qualiteHostileScript)
		var r struct {
			Text string `json:"text"`
		}
		decodeInto(t, got, &r)
		for _, name := range []string{hostileVenuesName, hostileRefusedName, names.markup, names.newline} {
			if !strings.Contains(r.Text, name) {
				t.Errorf("qualite.html does not show the file name %q as text", name)
			}
		}
	})
	t.Logf("browser checks took %s", time.Since(browserStart).Round(time.Millisecond))
	if t.Failed() {
		t.Logf("browser output:\n%s", browserLog.relevant())
	}
}

// writeInbox writes a file of the inbox, creating its folder.
func writeInbox(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// dropped a while ago: a run loads it without waiting for it to
	// settle (inbox_settle_seconds)
	old := time.Now().Add(-time.Minute)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
}

// checkHostileStored checks that the database holds every payload exactly
// (trimmed), as the loader promises: values are kept, never altered.
func checkHostileStored(t *testing.T, db string, venues []hostileVenue) {
	t.Helper()
	conn, err := isql.Open(t.Context(), db, isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.QueryContext(t.Context(), `SELECT nom, code_departement FROM int_venues__deduplicated WHERE source = 'hostile-test'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	stored := map[string]string{}
	for rows.Next() {
		var nom, dep string
		if err := rows.Scan(&nom, &dep); err != nil {
			t.Fatal(err)
		}
		stored[nom] = dep
	}
	for _, v := range venues {
		nom := strings.TrimSpace(v.nom)
		if dep, ok := stored[nom]; !ok {
			t.Errorf("venue %q is not in int_venues__deduplicated", nom)
		} else if dep != v.dep {
			t.Errorf("venue %q placed in %s, want %s", nom, dep, v.dep)
		}
	}
	if len(stored) != len(venues) {
		t.Errorf("%d hostile venues stored, want %d (one per row, none merged)", len(stored), len(venues))
	}
}

// checkNoRawMarkup fails for any page, script or download of the site that
// holds a payload's markup unescaped.
func checkNoRawMarkup(t *testing.T, site string) {
	t.Helper()
	n, bad := 0, 0
	err := filepath.WalkDir(site, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasSuffix(p, "echarts.min.js") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		for _, m := range rawMarkup {
			if i := bytes.Index(b, []byte(m)); i >= 0 {
				rel, _ := filepath.Rel(site, p)
				t.Errorf("%s holds the payload markup %q unescaped: …%s…", rel, m, b[max(0, i-80):min(len(b), i+80)])
				bad++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d published files read, %d with raw payload markup", n, bad)
}

// checkHostileDownloads checks what publish/downloads promises: the CSVs
// hold only indicators (no venue or structure text reaches them), and the
// Excel CSV has no cell a spreadsheet would run as a formula (a text cell
// starting with = + - @ tab or CR gets an apostrophe; only numbers may
// start with '-'); the venues' GeoJSON keeps each text exactly, as data
// for programs, with <, > and & escaped by encoding/json.
func checkHostileDownloads(t *testing.T, dir string, venues []hostileVenue) {
	t.Helper()
	markers := []string{"__pwned", "calc'", "@SUM", "alert(", "&lt;b&gt;", "{{.}}"}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".geojson") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range markers {
			if bytes.Contains(b, []byte(m)) {
				t.Errorf("%s holds %q: venue or structure text reached an indicator download", e.Name(), m)
			}
		}
	}

	// The Excel CSV: read as Excel would, every cell that starts like a
	// formula is a number.
	b, err := os.ReadFile(filepath.Join(dir, "indicateurs_departements_excel.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("indicateurs_departements_excel.csv: %v", err)
	}
	frenchNumber := regexp.MustCompile(`^-?[0-9]+(,[0-9]+)?(e[-+]?[0-9]+)?$`)
	cells := 0
	for i, rec := range recs {
		for j, c := range rec {
			cells++
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && !frenchNumber.MatchString(c) {
				t.Errorf("indicateurs_departements_excel.csv line %d column %q = %q: Excel would run it as a formula", i+1, recs[0][j], c)
			}
		}
	}
	t.Logf("indicateurs_departements_excel.csv: %d rows, %d cells, none a formula", len(recs)-1, cells)

	// The GeoJSON.
	b, err = os.ReadFile(filepath.Join(dir, "lieux_mediation.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	if i := bytes.IndexAny(b, "<>&"); i >= 0 {
		t.Errorf("lieux_mediation.geojson holds %q unescaped: …%s…", b[i], b[max(0, i-60):min(len(b), i+60)])
	}
	var fc struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				ID       string   `json:"id"`
				Nom      string   `json:"nom"`
				Commune  string   `json:"commune"`
				Adresse  string   `json:"adresse"`
				Services []string `json:"services"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatalf("lieux_mediation.geojson: %v", err)
	}
	byID := map[string]int{}
	for i, f := range fc.Features {
		byID[f.ID] = i
	}
	for _, v := range venues {
		id := strings.TrimSpace(v.id)
		i, ok := byID[id]
		if !ok {
			t.Errorf("lieux_mediation.geojson has no feature %q", id)
			continue
		}
		p := fc.Features[i].Properties
		nom := strings.TrimSpace(v.nom)
		var services []string
		for s := range strings.SplitSeq("Aide aux démarches administratives|"+nom, "|") {
			services = append(services, strings.TrimSpace(s))
		}
		if p.ID != id || p.Nom != nom || p.Adresse != strings.TrimSpace(v.adresse) || p.Commune != strings.TrimSpace(v.commune) || !slices.Equal(p.Services, services) {
			t.Errorf("lieux_mediation.geojson feature %q = %+v, want the texts as loaded: nom %q, commune %q, adresse %q, services %q",
				id, p, nom, strings.TrimSpace(v.commune), strings.TrimSpace(v.adresse), services)
		}
	}
}

// pageTrap runs in every page before its own scripts: every assignment to
// window.__pwned (the payloads' mark) is recorded in window.__pwnedHits,
// and the property can be neither deleted nor redefined, so a payload that
// runs cannot hide it.
const pageTrap = `(function () {
  var hits = [];
  Object.defineProperty(window, "__pwnedHits", { value: hits });
  Object.defineProperty(window, "__pwned", {
    configurable: false,
    get: function () { return hits.length ? hits[hits.length - 1] : undefined; },
    set: function (v) { hits.push(v); }
  });
})();`

// commonHostileChecks lists the elements of a page that a payload could
// have made: event handler attributes, javascript: URLs, images, SVG,
// frames, <b> (a hostile file name's), scripts other than the page's own.
const commonHostileChecks = `function () {
  var found = [];
  document.querySelectorAll("*").forEach(function (el) {
    for (var i = 0; i < el.attributes.length; i++) {
      var a = el.attributes[i];
      if (/^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)) {
        found.push("<" + el.tagName.toLowerCase() + " " + a.name + "=" + JSON.stringify(a.value) + ">");
      }
    }
    var tag = el.tagName.toLowerCase();
    if (["img", "svg", "iframe", "object", "embed", "b"].indexOf(tag) >= 0) {
      found.push("<" + tag + "> " + el.outerHTML.slice(0, 120));
    }
    if (tag === "script" && el.type !== "application/json" && /__pwned|alert\(/.test(el.textContent)) {
      found.push("<script> " + el.textContent.slice(0, 120));
    }
  });
  return found;
}`

// tooltipOf finds the HTML tooltip ECharts appends to a chart's element.
const tooltipOf = `function (el) {
  var kids = el.children;
  for (var i = kids.length - 1; i >= 0; i--) {
    if (kids[i].tagName === "DIV" && kids[i].style.zIndex === "9999999") { return kids[i]; }
  }
  return null;
}`

// indexHostileScript turns the venues layer on and shows the tooltip of
// every venue point.
const indexHostileScript = `(function () {
  var before = (` + commonHostileChecks + `)();
  var tooltipOf = ` + tooltipOf + `;
  var el = document.getElementById("carte_departements");
  var chart = echarts.getInstanceByDom(el);
  var series = chart.getOption().series;
  var lieux = -1;
  series.forEach(function (s, i) { if (s.id === "lieux") { lieux = i; } });
  var r = { points: lieux >= 0 ? series[lieux].data.length : -1, tips: [] };
  for (var i = 0; i < r.points; i++) {
    chart.dispatchAction({ type: "showTip", seriesIndex: lieux, dataIndex: i });
    var tip = tooltipOf(el);
    r.tips.push(tip ? tip.innerText : "(no tooltip)");
  }
  chart.dispatchAction({ type: "hideTip" });
  r.injected = before.concat((` + commonHostileChecks + `)());
  return r;
})()`

// depHostileScript reads the venue list of a département page and the
// tooltip of every venue point.
const depHostileScript = `(function () {
  var tooltipOf = ` + tooltipOf + `;
  var r = { rows: [], tips: [] };
  var cap = document.getElementById("legende-lieux");
  var table = cap && cap.closest("table");
  if (table) {
    table.closest("details").open = true;
    table.querySelectorAll("tbody > tr").forEach(function (tr) {
      var c = tr.querySelectorAll("th, td");
      r.rows.push({ nom: c[0].textContent, commune: c[1].textContent, programmes: c[2].textContent,
                    elements: tr.querySelectorAll("*").length - c.length });
    });
  }
  var prog = document.getElementById("legende-programmes");
  r.programmes = prog ? Array.prototype.map.call(prog.closest("table").querySelectorAll("tbody th"), function (th) { return th.textContent; }) : [];
  var el = document.getElementById("carte_departement");
  var chart = echarts.getInstanceByDom(el);
  var venues = chart.getOption().series.findIndex(function (s) { return s.id === "lieux"; });
  var data = chart.getOption().series[venues].data;
  for (var i = 0; i < data.length; i++) {
    chart.dispatchAction({ type: "showTip", seriesIndex: venues, dataIndex: i });
    var tip = tooltipOf(el);
    // Elements besides line breaks and the arrow, an empty styled <div>
    // that ECharts adds.
    var elements = tip && Array.prototype.filter.call(tip.querySelectorAll("*"), function (e) {
      return e.tagName !== "BR" && !(e.tagName === "DIV" && e.parentNode === tip && e.childNodes.length === 0 &&
                                     e.attributes.length === 1 && e.hasAttribute("style"));
    }).length;
    r.tips.push(tip ? { text: tip.innerText, html: tip.innerHTML, elements: elements } : null);
  }
  chart.dispatchAction({ type: "hideTip" });
  r.injected = (` + commonHostileChecks + `)();
  return r;
})()`

// qualiteHostileScript reads the text of the data-quality page.
const qualiteHostileScript = `(function () {
  return { text: document.querySelector("main").textContent, injected: (` + commonHostileChecks + `)() };
})()`

// hostileDialogs collects the JavaScript dialogs a tab opened.
type hostileDialogs struct {
	mu   sync.Mutex
	msgs []string
}

func (d *hostileDialogs) add(m string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.msgs = append(d.msgs, m)
}

func (d *hostileDialogs) list() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.msgs)
}

// openHostilePage opens rel of the published site in a new tab with the
// trap installed, runs script in it (after ticking the venues box of the
// national map, or a real mouse hover on a venue point of a
// département map) and returns its result. It fails the test on a payload
// that ran, markup made from the data, a dialog, a console error or a
// request leaving the machine.
func openHostilePage(t *testing.T, browserCtx context.Context, out, rel, script string) json.RawMessage {
	t.Helper()
	file := filepath.Join(out, filepath.FromSlash(rel))
	pageURL := fileURL(file)
	ev := &pageEvents{}
	dialogs := &hostileDialogs{}
	var tabCtx context.Context
	tabCtx, cancel := chromedp.NewContext(browserCtx, chromedp.WithListener(func(e any) {
		ev.record(e)
		if d, ok := e.(*page.EventJavascriptDialogOpening); ok {
			dialogs.add(string(d.Type) + ": " + d.Message)
			go chromedp.Do(tabCtx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
				return err
			}))
		}
	}))
	defer cancel()
	defer ev.report(t)

	err := navigateWithScript(tabCtx, pageURL, pageTrap)
	if err != nil {
		t.Fatalf("opening %s: %v", pageURL, err)
	}
	// The deferred scripts have run once the load event has fired, and the
	// map's chart exists.
	if _, err := chromedp.Run(tabCtx, chromedp.Poll[chromedp.Void](
		`document.readyState === "complete" && (typeof echarts === "undefined" || !document.querySelector('[id^="carte"]') ||
		  !!echarts.getInstanceByDom(document.querySelector('[id^="carte"]')))`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("%s: the page did not finish loading: %v", rel, err)
	}
	if rel == "index.html" {
		// The venues are drawn on demand: tick the box as a reader would.
		if _, err := chromedp.Run(tabCtx, chromedp.Click(chromedp.ID("afficher-lieux"))); err != nil {
			t.Fatalf("index.html: ticking the venues box: %v", err)
		}
		if _, err := chromedp.Run(tabCtx, chromedp.Poll[chromedp.Void](
			`(function () { var s = echarts.getInstanceByDom(document.getElementById("carte_departements")).getOption().series;
			   return s.length > 1 && s[1].data.length > 0; })()`,
			chromedp.WithPollingTimeout(5*time.Second))); err != nil {
			t.Errorf("index.html: no venue points after ticking the box: %v", err)
		}
	}
	if strings.HasPrefix(rel, "departements/") {
		hoverVenue(t, tabCtx, rel)
	}
	got, err := chromedp.Run(tabCtx, chromedp.Evaluate[json.RawMessage](script))
	if err != nil {
		t.Fatalf("%s: running the checks: %v", rel, err)
	}
	var common struct {
		Injected []string `json:"injected"`
	}
	decodeInto(t, got, &common)
	for _, e := range common.Injected {
		t.Errorf("%s: markup from the data became an element: %s", rel, e)
	}
	// An injected handler may run a moment after its markup is inserted
	// (an image's onerror once the load has failed): wait before reading
	// the trap and the dialogs.
	time.Sleep(250 * time.Millisecond)
	pwned, err := chromedp.Run(tabCtx, chromedp.Evaluate[[]string](`window.__pwnedHits.map(String)`))
	if err != nil {
		t.Fatalf("%s: reading the trap: %v", rel, err)
	}
	if len(pwned) > 0 {
		t.Errorf("%s: injected script ran: window.__pwned was set to %q", rel, pwned)
	}
	for _, d := range dialogs.list() {
		t.Errorf("%s: injected script opened a dialog (%s)", rel, d)
	}
	return got
}

// hoverVenue moves the mouse over a venue point of a département map, as a
// reader would, and checks its tooltip shows the venue's name as text. The
// venues are drawn under the communes (a commune under the mouse gives its
// own tooltip): the point hovered is the venue farthest from any commune's
// disc, one whose name holds markup when such a venue lies clear of them.
func hoverVenue(t *testing.T, ctx context.Context, rel string) {
	t.Helper()
	type point struct {
		X, Y  float64
		Texte string
	}
	p, err := chromedp.Run(ctx, chromedp.Evaluate[point](`(function () {
	  var el = document.getElementById("carte_departement");
	  el.scrollIntoView({ block: "center" });
	  var chart = echarts.getInstanceByDom(el);
	  var series = chart.getOption().series;
	  var iv = series.findIndex(function (s) { return s.id === "lieux"; });
	  var ic = series.findIndex(function (s) { return s.id === "communes"; });
	  var discs = series[ic].data.map(function (c) {
	    var px = chart.convertToPixel({ seriesIndex: ic }, c.value);
	    return { x: px[0], y: px[1], r: (c.symbolSize || 4) / 2 };
	  });
	  // Among the venues whose name holds markup, when one is clear of
	  // every disc; else among all.
	  var best = null, bestMarkup = null;
	  series[iv].data.forEach(function (d) {
	    var px = chart.convertToPixel({ seriesIndex: iv }, d.value);
	    var clear = Infinity;
	    discs.forEach(function (c) { clear = Math.min(clear, Math.hypot(c.x - px[0], c.y - px[1]) - c.r); });
	    var p = { px: px, texte: d.texte, clear: clear };
	    if (!best || clear > best.clear) { best = p; }
	    if (/[<>"&]/.test(d.texte.split("\n")[0]) && (!bestMarkup || clear > bestMarkup.clear)) { bestMarkup = p; }
	  });
	  if (bestMarkup && bestMarkup.clear > 6) { best = bestMarkup; }
	  var box = el.getBoundingClientRect();
	  return { x: box.left + best.px[0], y: box.top + best.px[1], texte: best.texte };
	})()`))
	if err != nil {
		t.Fatalf("%s: locating a venue point: %v", rel, err)
	}
	// Two moves: ECharts shows the tooltip on a move onto the point.
	for _, dx := range []float64{-20, 0} {
		if err := chromedp.Do(ctx, chromedp.MouseEvent(chromedp.MouseMoved, p.X+dx, p.Y)); err != nil {
			t.Fatalf("%s: moving the mouse: %v", rel, err)
		}
	}
	tip, err := chromedp.Run(ctx, chromedp.Poll[string](`(function () {
	  var tip = (`+tooltipOf+`)(document.getElementById("carte_departement"));
	  return tip && tip.style.display !== "none" && tip.innerText ? tip.innerText : null;
	})()`, chromedp.WithPollingTimeout(3*time.Second)))
	if err != nil {
		t.Errorf("%s: no tooltip when the mouse is on a venue point (%.0f, %.0f): %v", rel, p.X, p.Y, err)
		return
	}
	want := strings.Split(p.Texte, "\n")[0]
	if first := strings.Split(tip, "\n")[0]; first != want {
		t.Errorf("%s: hovered venue tooltip starts with %q, want the venue's name %q as text", rel, first, want)
	} else {
		t.Logf("%s: hovered venue tooltip shows %q as text", rel, first)
	}
}

// checkDepartementPage checks that every hostile venue of the département
// is listed, and shown in its map tooltip, as plain text.
func checkDepartementPage(t *testing.T, got json.RawMessage, dep string, venues []hostileVenue) {
	t.Helper()
	type listed struct {
		Nom, Commune, Programmes string
		Elements                 int // elements inside the row's cells
	}
	var r struct {
		Rows       []listed `json:"rows"`
		Programmes []string `json:"programmes"`
		Tips       []*struct {
			Text     string `json:"text"`
			HTML     string `json:"html"`
			Elements int    `json:"elements"`
		} `json:"tips"`
	}
	decodeInto(t, got, &r)
	tips := map[string]string{}
	for i, tip := range r.Tips {
		switch {
		case tip == nil:
			t.Errorf("venue point %d: no tooltip shown", i)
		case tip.Elements > 0:
			t.Errorf("venue point %d: the tooltip holds %d elements besides line breaks and its arrow: %q", i, tip.Elements, tip.HTML)
		default:
			first, _, _ := strings.Cut(tip.Text, "\n")
			tips[first] = tip.Text
		}
	}
	n, good := 0, 0
	for _, v := range venues {
		if v.dep != dep {
			continue
		}
		n++
		bad := false
		errorf := func(format string, args ...any) {
			t.Helper()
			bad = true
			t.Errorf(format, args...)
		}
		nom, commune := strings.TrimSpace(v.nom), strings.TrimSpace(v.commune)
		i := slices.IndexFunc(r.Rows, func(row listed) bool { return row.Nom == nom })
		if i < 0 {
			errorf("the venue list does not show %q as text", nom)
		} else if row := r.Rows[i]; row.Commune != commune || row.Elements != 0 {
			errorf("venue %q listed with commune %q and %d elements in its row, want commune %q as text and none", nom, row.Commune, row.Elements, commune)
		} else if p := strings.TrimSpace(v.programme); p != "" {
			if !strings.Contains(row.Programmes, p) {
				errorf("venue %q listed with programmes %q, want %q among them as text", nom, row.Programmes, p)
			}
			if !slices.Contains(r.Programmes, p) {
				errorf("the programmes table does not show %q as text: %q", p, r.Programmes)
			}
		}
		if tip, ok := tips[nom]; !ok {
			errorf("no map tooltip starts with the venue name %q as text", nom)
		} else if !strings.Contains(tip, commune) {
			errorf("the tooltip of %q = %q, want its commune %q as text", nom, tip, commune)
		}
		if !bad {
			good++
		}
	}
	if n == 0 {
		t.Fatalf("no hostile venue in département %s: the test data are wrong", dep)
	}
	t.Logf("%d of the %d hostile venues of %s listed and in their tooltips as text; %d tooltips in all", good, n, dep, len(r.Tips))
}

// decodeInto decodes a page's JSON answer.
func decodeInto(t *testing.T, raw json.RawMessage, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decoding the page's answer %s: %v", raw, err)
	}
}

// venueListing is a one-row venue listing, distinct for each name.
func venueListing(t *testing.T, nom string, lat, lon float64) []byte {
	t.Helper()
	b, err := samples.FS.ReadFile("lieux_mediation_numerique_hauts-de-france_2023_v1.0.2.csv")
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(b), "\n")
	cols := strings.Split(strings.TrimSpace(header), ",")
	rec := make([]string, len(cols))
	for i, c := range cols {
		switch c {
		case "id":
			rec[i] = "id-" + nom
		case "nom":
			rec[i] = nom
		case "latitude":
			rec[i] = fmt.Sprintf("%.6f", lat)
		case "longitude":
			rec[i] = fmt.Sprintf("%.6f", lon)
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(cols)
	w.Write(rec)
	w.Flush()
	return buf.Bytes()
}

// hostileNames are the inbox files of TestHostileRun whose names try to
// break the pages, the file system or the moves, and what the folder
// outside the inbox held before the run.
type hostileNames struct {
	root, venuesDir, outside, secret  string
	newline, markup, notUTF8, planted string
	longGood, longBad                 string
	outsideBefore                     []string
}

// plantHostileNames fills inbox/venues with hostile names: hidden names, a
// line break, markup and quotes, 250-byte names, bytes that are not UTF-8,
// symbolic links to files outside the inbox, a folder named like a file,
// and a symbolic link planted where the reason of a refused file is
// written.
func plantHostileNames(t *testing.T, root, inbox string) hostileNames {
	t.Helper()
	venuesDir := filepath.Join(inbox, "venues")
	outside := filepath.Join(root, "outside")
	secret := filepath.Join(outside, "secret.csv")
	victim := filepath.Join(outside, "victim.txt")
	writeInbox(t, secret, venueListing(t, "OUTSIDE-SECRET-VENUE", 50.60, 3.00))
	writeInbox(t, victim, []byte("must not be overwritten\n"))

	const (
		newline = "ligne\nsuivante.csv"
		markup  = `<b>gras<b> "guillemets" 'apostrophes' &amp;.csv` // no '/': a name cannot hold one
		notUTF8 = "caf\xe9 <i>.csv"
		planted = "piege.csv"
	)
	longGood := strings.Repeat("é", 100) + strings.Repeat("x", 46) + ".csv" // 250 bytes
	longBad := strings.Repeat("L", 246) + ".csv"                            // 250 bytes
	if len(longGood) != 250 || len(longBad) != 250 {
		t.Fatalf("long names of %d and %d bytes, want 250", len(longGood), len(longBad))
	}
	lat := 50.40
	listing := func(nom string) []byte { lat += 0.02; return venueListing(t, nom, lat, 3.0) }
	writeInbox(t, filepath.Join(venuesDir, "..csv"), listing("Lieu point point"))
	writeInbox(t, filepath.Join(venuesDir, "...csv"), listing("Lieu trois points"))
	writeInbox(t, filepath.Join(venuesDir, newline), listing("Lieu saut de ligne"))
	writeInbox(t, filepath.Join(venuesDir, markup), listing("Lieu balises"))
	writeInbox(t, filepath.Join(venuesDir, longGood), listing("Lieu nom long"))
	writeInbox(t, filepath.Join(venuesDir, longBad), []byte("pas;une liste\n1;2\n"))
	writeInbox(t, filepath.Join(venuesDir, notUTF8), listing("Lieu nom non UTF-8"))
	writeInbox(t, filepath.Join(venuesDir, "dossier.csv", "dedans.csv"), listing("Lieu dans un dossier"))
	writeInbox(t, filepath.Join(venuesDir, planted), []byte("pas;une liste non plus\n1;2\n"))
	// A file of the same long name already processed: the new one needs a
	// suffix its name has no room for.
	writeInbox(t, filepath.Join(venuesDir, "processed", longGood), []byte("an earlier delivery\n"))
	for link, target := range map[string]string{
		filepath.Join(venuesDir, "lien.csv"):                      secret,
		filepath.Join(venuesDir, "passwd.csv"):                    "/etc/passwd",
		filepath.Join(venuesDir, "failed", planted+".reason.txt"): victim,
	} {
		os.MkdirAll(filepath.Dir(link), 0o755)
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	outsideBefore := treeOf(t, outside)
	return hostileNames{root: root, venuesDir: venuesDir, outside: outside, secret: secret,
		newline: newline, markup: markup, notUTF8: notUTF8, planted: planted, longGood: longGood, longBad: longBad,
		outsideBefore: outsideBefore}
}

// checkHostileNames checks what the run made of the hostile names: each
// regular file loaded or refused with its reason beside it, hidden files,
// links and folders left alone, nothing read, moved or written outside the
// inbox, and the names escaped on the data-quality page.
func checkHostileNames(t *testing.T, n hostileNames, db, site string) {
	t.Helper()
	root, venuesDir, outside, secret := n.root, n.venuesDir, n.outside, n.secret
	newline, markup, notUTF8, planted, longGood, longBad := n.newline, n.markup, n.notUTF8, n.planted, n.longGood, n.longBad
	outsideBefore := n.outsideBefore

	// Nothing outside the inbox changed, and nothing escaped to its parent.
	if after := treeOf(t, outside); !slices.Equal(after, outsideBefore) {
		t.Errorf("the folder outside the inbox changed:\nbefore %q\nafter  %q", outsideBefore, after)
	}
	tops, _ := os.ReadDir(root)
	for _, e := range tops {
		if strings.HasSuffix(e.Name(), ".csv") || strings.HasSuffix(e.Name(), ".txt") {
			t.Errorf("%s appeared beside the inbox", e.Name())
		}
	}

	// The ledger: what was loaded or refused, under its own name.
	conn, err := isql.Open(t.Context(), db, isql.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ledger := map[string]string{}
	rows, err := conn.QueryContext(t.Context(), `SELECT name, status FROM ingest_files`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, status string
		rows.Scan(&name, &status)
		ledger[name] = status
	}
	rows.Close()
	want := map[string]string{
		newline: "loaded", markup: "loaded", longGood: "loaded", longBad: "failed", planted: "failed",
		hostileVenuesName: "loaded", hostileRefusedName: "failed", "structures.csv": "loaded",
	}
	want[strings.ToValidUTF8(notUTF8, "\uFFFD")] = "loaded" // shown with U+FFFD in the ledger
	for name, status := range want {
		if ledger[name] != status {
			t.Errorf("ingest_files: %q is %q, want %q", name, ledger[name], status)
		}
	}
	for name := range ledger {
		if _, ok := want[name]; !ok {
			t.Errorf("ingest_files has %q, which should not have been read", name)
		}
	}
	var noms []string
	rows, err = conn.QueryContext(t.Context(), `SELECT nom FROM raw_venues WHERE source IS DISTINCT FROM 'hostile-test' ORDER BY nom`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var nom string
		rows.Scan(&nom)
		noms = append(noms, nom)
	}
	rows.Close()
	if wantNoms := []string{"Lieu balises", "Lieu nom long", "Lieu nom non UTF-8", "Lieu saut de ligne"}; !slices.Equal(noms, wantNoms) {
		t.Errorf("raw_venues names = %q, want %q: hidden files, symbolic links and folders are not read", noms, wantNoms)
	}

	// The inbox: hidden files, links and folders left in place, the others
	// moved beside it, each refused file with its reason.
	if got, want := namesIn(t, venuesDir), []string{"...csv", "..csv", "dossier.csv", "failed", "lien.csv", "passwd.csv", "processed"}; !slices.Equal(got, want) {
		t.Errorf("left in the inbox: %q, want %q", got, want)
	}
	for link, target := range map[string]string{"lien.csv": secret, "passwd.csv": "/etc/passwd"} {
		if got, err := os.Readlink(filepath.Join(venuesDir, link)); err != nil || got != target {
			t.Errorf("the link %s now points to %q (%v), want it untouched, to %q", link, got, err, target)
		}
	}
	processed := namesIn(t, filepath.Join(venuesDir, "processed"))
	for _, name := range []string{newline, markup, longGood, notUTF8} {
		if !slices.Contains(processed, name) {
			t.Errorf("processed/ has no %q: %q", name, processed)
		}
	}
	if len(processed) != 6 {
		t.Errorf("processed/ holds %q, want the 4 loaded files, the earlier %q and %q", processed, longGood, hostileVenuesName)
	}
	failed := namesIn(t, filepath.Join(venuesDir, "failed"))
	var refused []string
	for _, name := range failed {
		if strings.HasSuffix(name, ".reason.txt") {
			continue
		}
		refused = append(refused, name)
		reason := filepath.Join(venuesDir, "failed", name+".reason.txt")
		fi, err := os.Lstat(reason)
		switch {
		case err != nil:
			t.Errorf("the refused file %q has no reason beside it: %v", name, err)
		case !fi.Mode().IsRegular():
			t.Errorf("the reason of %q is a %s, want a regular file", name, fi.Mode().Type())
		default:
			b, _ := os.ReadFile(reason)
			t.Logf("failed/%q: %s", name, strings.TrimSpace(string(b)))
		}
	}
	if len(refused) != 3 || !slices.Contains(refused, hostileRefusedName) || !slices.Contains(refused, planted) ||
		!slices.ContainsFunc(refused, func(n string) bool { return strings.HasPrefix(n, "LLLLLLLL") && len(n)+len(".reason.txt") <= 255 }) {
		t.Errorf("failed/ holds %q, want %q, %q and the 250-byte name, shortened so its reason fits", refused, hostileRefusedName, planted)
	}
	// The file whose name is not UTF-8 loads, and the ledger shows its
	// name with U+FFFD in place of the stray bytes.
	if _, err := os.Stat(filepath.Join(venuesDir, "processed", notUTF8)); err != nil {
		t.Errorf("the file whose name is not UTF-8 was not loaded: %v", err)
	}

	// The data-quality page shows the names as text.
	src, err := os.ReadFile(filepath.Join(site, "qualite.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(src)
	for _, raw := range []string{"<b>", `"guillemets"`, "<i>"} {
		if strings.Contains(page, raw) {
			t.Errorf("qualite.html holds %q unescaped", raw)
		}
	}
	for _, esc := range []string{"&lt;b&gt;gras&lt;b&gt; &#34;guillemets&#34; &#39;apostrophes&#39; &amp;amp;.csv", newline, longGood} {
		if !strings.Contains(page, esc) {
			t.Errorf("qualite.html does not show the file name as %q", esc)
		}
	}
}

// treeOf lists the files under dir with their contents.
func treeOf(t *testing.T, dir string) []string {
	t.Helper()
	var tree []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			tree = append(tree, rel+"/")
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		tree = append(tree, rel+": "+string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// namesIn lists the names in dir, sorted.
func namesIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names
}
