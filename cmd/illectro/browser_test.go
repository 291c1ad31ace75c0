package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The published pages, opened from disk in headless Chromium: no console
// error, no request leaving the machine, the map drawn with its 101
// départements, one ranking row per département, and a page light enough
// to be read on a poor connection. The test also saves screenshots (and a
// PDF of the print version of a département page) for a human to look at.

// maxIndexWeight and maxNordWeight are the budgets of index.html and of
// departements/59.html (Nord, the largest département page), each with
// every local file it loads (ECharts, the shapes, the scripts, the
// stylesheet), counted in decimal bytes (10⁶ bytes to the MB).
//
// Issue 18 asked for 600 kB and 1 MB. Nord's page weighs 0.94 MB (it was
// 1.84). index.html weighs 0.76 MB (it was 1.52) and cannot reach 600 kB
// without dropping something a reader sees: ECharts alone is 596 kB, though
// built with only what the pages use (reports/assets/echarts-build: its
// core with the map series and the canvas renderer and nothing else is
// already 375 kB; the tooltip, visual map, legend, geo and toolbox
// components are the rest), and the page also brings the shapes (61 kB,
// compressed) and its table, data, scripts and stylesheet (107 kB). The
// index budget is its measured weight plus 1 %: a page that grows must say
// why here. BENCHMARKS.md lists the parts. Since: zoom, the Île-de-France
// inset, circles for counts, classes and each indicator's inputs, vintages
// and coverage (index.html 81.5 → 93.6 kB, carte.js 9 → 12 kB): 784 403
// bytes measured, 792 000 allowed.
const (
	maxIndexWeight = 792_000
	maxNordWeight  = 1_000_000
)

// browserTimeout bounds everything the browser does in the test.
const browserTimeout = 150 * time.Second

// findChromium returns the path of a Chromium-like browser, or "".
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// maxPrintPages bounds the printed département page (A4 portrait, the
// stylesheet's @page).
const maxPrintPages = 2

// pdfPageRe finds the page objects of a PDF (not the /Pages tree).
var pdfPageRe = regexp.MustCompile(`/Type\s*/Page\b`)

func TestBrowserPages(t *testing.T) {
	t.Parallel() // a pipeline run uses about one core of two: two such tests share the machine
	chromium := findChromium()
	if chromium == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is required in CI: .ci/run installs it (no chromium, chromium-browser or google-chrome in PATH)")
		}
		t.Skip("SKIPPED: NO CHROMIUM IN PATH, the published pages were NOT tested in a browser; install it with `apt-get install -y chromium`")
	}

	dir := t.TempDir()
	db := filepath.Join(dir, "illectro.duckdb")
	out := filepath.Join(dir, "public")
	if _, stderr, err := runCLI(t, t.Context(), nil, "", "run", "--db", db, "--out", out); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr)
	}

	shots := os.Getenv("ILLECTRO_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", shots)

	ctx, cancel := context.WithTimeout(t.Context(), browserTimeout)
	defer cancel()
	browserCtx, browserLog := startChromium(t, ctx, chromium)

	t.Run("index.html", func(t *testing.T) {
		checkPage(t, browserCtx, pageCheck{
			out:        out,
			rel:        "index.html",
			shot:       "index",
			map101:     true,
			ranking101: true,
			maxWeight:  maxIndexWeight,
		}, shots)
	})
	// Creuse, small, and Nord, the largest page: both print on two pages.
	for _, code := range []string{"23", "59"} {
		rel := "departements/" + code + ".html"
		var budget int64
		if code == "59" {
			budget = maxNordWeight
		}
		t.Run(rel, func(t *testing.T) {
			checkPage(t, browserCtx, pageCheck{out: out, rel: rel, shot: "departement-" + code, print: true, maxWeight: budget}, shots)
		})
	}
	// Accessibility: axe-core finds nothing on the national, methodology
	// and quality pages and on three département pages, one overseas.
	for _, rel := range []string{"index.html", "methodologie.html", "qualite.html",
		"departements/23.html", "departements/59.html", "departements/971.html"} {
		t.Run("axe "+rel, func(t *testing.T) {
			checkAxe(t, browserCtx, out, rel)
		})
	}
	t.Run("axe catches a planted violation", func(t *testing.T) {
		checkAxeCatches(t, browserCtx, out, "qualite.html")
	})
	t.Run("indicator and map click on index.html", func(t *testing.T) {
		checkIndexInteractions(t, browserCtx, out)
	})
	t.Run("search by name from index.html", func(t *testing.T) {
		checkSearch(t, browserCtx, out, "index.html", "gueret", "Guéret (23096)", "23", false)
	})
	t.Run("search by postal code from departements/23.html", func(t *testing.T) {
		checkSearch(t, browserCtx, out, "departements/23.html", "87000", "Limoges (87085)", "87", true)
	})
	t.Run("EPCI of departements/87.html", func(t *testing.T) {
		checkEPCI(t, browserCtx, out, "departements/87.html")
	})

	if t.Failed() {
		t.Logf("browser output (without the D-Bus noise of a machine with no session bus):\n%s", browserLog.relevant())
	}
}

// startChromium starts one headless browser for the whole test and returns
// its context; the browser ends with ctx or with the test.
func startChromium(t *testing.T, ctx context.Context, path string) (context.Context, *lockedBuffer) {
	t.Helper()
	output := &lockedBuffer{}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("allow-file-access-from-files", true),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(output),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("starting %s: %v\nbrowser output:\n%s", path, err, output.relevant())
	}
	return browserCtx, output
}

type pageCheck struct {
	out        string // the published folder
	rel        string // the page, relative to out, with slashes
	shot       string // base name of the screenshots
	map101     bool   // the map must show the 101 départements
	ranking101 bool   // the ranking table must have 101 rows
	print      bool   // also save the print version (screenshot and A4 PDF) and count its pages
	maxWeight  int64  // if > 0, the most the page and its local files may weigh
}

// measureScript runs in the page before its own scripts. Once per frame it
// looks for the ECharts chart of the map, and records (in milliseconds since
// the navigation started) when the chart exists, when its canvas first has
// pixels on it in a frame (the draw time the test reports: when the map can
// first be seen), and when ECharts emits 'finished'. ECharts 5 paints
// synchronously inside setOption, so the 'finished' of the first render
// comes before any listener can be attached; only a later render (such as
// the one of carte.js changing the option) is seen.
const measureScript = `(function () {
  if (window.top !== window) { return; }
  var m = window.__illectroMesure = { chart: null, painted: null, finished: null, hostId: "", error: "" };
  function findChart() {
    if (typeof echarts === "undefined" || !document.body) { return null; }
    var roots = document.querySelectorAll('[id^="carte"]');
    for (var i = 0; i < roots.length; i++) {
      var candidates = [roots[i]].concat(Array.prototype.slice.call(roots[i].querySelectorAll("div")));
      for (var j = 0; j < candidates.length; j++) {
        var c = echarts.getInstanceByDom(candidates[j]);
        if (c) { return { chart: c, host: candidates[j], root: roots[i] }; }
      }
    }
    return null;
  }
  function painted(host) {
    if (host.querySelector("svg path")) { return true; }
    var canvas = host.querySelector("canvas");
    if (!canvas || !canvas.width || !canvas.height) { return false; }
    var px = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (var k = 3; k < px.length; k += 4 * 7) {
      if (px[k] !== 0) { return true; }
    }
    return false;
  }
  function tick() {
    try {
      var f = findChart();
      if (f) {
        if (m.chart === null) {
          m.chart = performance.now();
          m.hostId = f.host.id || f.root.id;
          f.chart.on("finished", function () {
            if (m.finished === null) { m.finished = performance.now(); }
          });
        }
        if (m.painted === null && painted(f.host)) { m.painted = performance.now(); }
      }
    } catch (e) {
      m.error = String(e && e.stack || e);
    }
    if ((m.painted === null || m.finished === null) && !m.error && performance.now() < 30000) {
      requestAnimationFrame(tick);
    }
  }
  requestAnimationFrame(tick);
})();`

// inspectScript reads what the page shows: the chart of the map (its series,
// its data, its registered map) and the ranking table.
const inspectScript = `(function () {
  var r = { echarts: typeof echarts !== "undefined", chartId: "", series: 0, seriesType: "",
            data: -1, valued: -1, filled: [], mapName: "", features: -1, unmatched: [],
            tables: 0, tableId: "", rows: -1, domContentLoaded: -1, load: -1 };
  var nav = performance.getEntriesByType("navigation")[0];
  if (nav) { r.domContentLoaded = nav.domContentLoadedEventEnd; r.load = nav.loadEventEnd; }

  var main = document.querySelector("main");
  r.tables = main ? main.querySelectorAll("table").length : 0;
  var table = null;
  var named = document.getElementById("classement");
  if (named) { table = named.tagName === "TABLE" ? named : named.querySelector("table"); }
  if (!table && main) { table = main.querySelector("table"); }
  if (table) {
    r.tableId = table.id;
    r.rows = table.querySelectorAll(":scope > tbody > tr").length;
  }

  if (!r.echarts) { return r; }
  var chart = null;
  var roots = document.querySelectorAll('[id^="carte"]');
  for (var i = 0; i < roots.length && !chart; i++) {
    var candidates = [roots[i]].concat(Array.prototype.slice.call(roots[i].querySelectorAll("div")));
    for (var j = 0; j < candidates.length && !chart; j++) {
      chart = echarts.getInstanceByDom(candidates[j]);
      if (chart) { r.chartId = candidates[j].id || roots[i].id; }
    }
  }
  if (!chart) { return r; }
  var o = chart.getOption();
  var series = o.series || [];
  r.series = series.length;
  var s = series[0];
  if (!s) { return r; }
  r.seriesType = s.type || "";
  var data = s.data || [];
  r.data = data.length;
  // ECharts appends {name} for every region of the map that the series has
  // no item for: those are départements the page gave no data for.
  data.forEach(function (d) {
    if (d !== null && typeof d === "object" && !Array.isArray(d) && Object.keys(d).length === 1 && "name" in d) {
      r.filled.push(String(d.name));
    }
  });
  r.valued = data.filter(function (d) {
    var v = d !== null && typeof d === "object" && !Array.isArray(d) ? d.value : d;
    if (Array.isArray(v)) { v = v[v.length - 1]; }
    return typeof v === "number" && isFinite(v);
  }).length;
  var name = s.map;
  if (!name && o.geo && o.geo.length) { name = (o.geo[s.geoIndex || 0] || o.geo[0]).map; }
  r.mapName = name || "";
  if (!name) { return r; }
  var registered = echarts.getMap(name);
  var geo = registered && (registered.geoJSON || registered.geoJson);
  if (!geo || !geo.features) { return r; }
  r.features = geo.features.length;
  var prop = s.nameProperty || "name";
  var known = {};
  geo.features.forEach(function (f) { known[f.properties && f.properties[prop]] = true; });
  data.forEach(function (d) {
    var n = d !== null && typeof d === "object" ? d.name : undefined;
    if (!known[n]) { r.unmatched.push(String(n)); }
  });
  return r;
})()`

type measure struct {
	Chart    *float64 `json:"chart"`
	Painted  *float64 `json:"painted"`
	Finished *float64 `json:"finished"`
	HostID   string   `json:"hostId"`
	Error    string   `json:"error"`
}

type inspection struct {
	ECharts          bool     `json:"echarts"`
	ChartID          string   `json:"chartId"`
	Series           int      `json:"series"`
	SeriesType       string   `json:"seriesType"`
	Data             int      `json:"data"`
	Valued           int      `json:"valued"`
	Filled           []string `json:"filled"`
	MapName          string   `json:"mapName"`
	Features         int      `json:"features"`
	Unmatched        []string `json:"unmatched"`
	Tables           int      `json:"tables"`
	TableID          string   `json:"tableId"`
	Rows             int      `json:"rows"`
	DOMContentLoaded float64  `json:"domContentLoaded"`
	Load             float64  `json:"load"`
}

// fileURL is the file:// URL of a published page.
func fileURL(file string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()
}

// navigateWithScript opens pageURL in the tab at a desktop size, with
// script run in the page before its own scripts.
func navigateWithScript(tabCtx context.Context, pageURL, script string) error {
	return chromedp.Do(tabCtx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument,
				page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
			return err
		}),
		chromedp.Navigate(pageURL),
	)
}

func checkPage(t *testing.T, browserCtx context.Context, pc pageCheck, shots string) {
	file := filepath.Join(pc.out, filepath.FromSlash(pc.rel))
	if _, err := os.Stat(file); err != nil {
		t.Errorf("%s missing: the pipeline did not publish it (%v)", pc.rel, err)
		return
	}
	pageURL := fileURL(file)

	ev := &pageEvents{}
	tabCtx, cancel := chromedp.NewContext(browserCtx, chromedp.WithListener(ev.record))
	defer cancel()
	// Whatever the checks below decide, the console and the network are checked.
	defer ev.report(t)

	err := navigateWithScript(tabCtx, pageURL, measureScript)
	if err != nil {
		t.Fatalf("opening %s: %v", pageURL, err)
	}

	// Wait for the map to be drawn: pixels on its canvas.
	_, err = chromedp.Run(tabCtx, chromedp.Poll[chromedp.Void](
		`window.__illectroMesure && (window.__illectroMesure.painted !== null || window.__illectroMesure.error !== "")`,
		chromedp.WithPollingTimeout(20*time.Second)))
	m, merr := chromedp.Run(tabCtx, chromedp.Evaluate[measure](`window.__illectroMesure`))
	switch {
	case merr != nil:
		t.Fatalf("reading the measure of the map drawing: %v (wait: %v)", merr, err)
	case m.Error != "":
		t.Fatalf("the script that watches the map failed: %s", m.Error)
	case err != nil || m.Painted == nil:
		found := "no ECharts chart under an element whose id starts with \"carte\""
		if m.Chart != nil {
			found = fmt.Sprintf("the chart of #%s exists since %.0f ms but its canvas stayed blank", m.HostID, *m.Chart)
		}
		t.Fatalf("the map was not drawn within 20 s: %s (%v)", found, err)
	}
	// A later render's 'finished' comes just after; a short wait only, as
	// there may be none (see measureScript).
	if m.Finished == nil {
		if _, err := chromedp.Run(tabCtx, chromedp.Poll[chromedp.Void](
			`window.__illectroMesure.finished !== null`, chromedp.WithPollingTimeout(time.Second))); err == nil {
			m, _ = chromedp.Run(tabCtx, chromedp.Evaluate[measure](`window.__illectroMesure`))
		}
	}

	got, err := chromedp.Run(tabCtx, chromedp.Evaluate[inspection](inspectScript))
	if err != nil {
		t.Fatalf("inspecting the page: %v", err)
	}

	// Timing: logged, never asserted.
	finished := "not seen after the first render"
	if m.Finished != nil {
		finished = fmt.Sprintf("%.0f ms", *m.Finished)
	}
	t.Logf("%s: map #%s drawn %.0f ms after navigation start (ECharts 'finished': %s; DOMContentLoaded %.0f ms, load %.0f ms)",
		pc.rel, m.HostID, *m.Painted, finished, got.DOMContentLoaded, got.Load)

	// The chart.
	if got.Series < 1 {
		t.Errorf("the chart of #%s has no series: it did not render anything", got.ChartID)
	}
	if pc.map101 {
		if got.ChartID != "carte_departements" {
			t.Errorf("map chart found under #%q, want #carte_departements", got.ChartID)
		}
		if got.Data != 101 {
			t.Errorf("map series %q has %d data items, want 101 départements", got.SeriesType, got.Data)
		}
		if got.MapName == "" {
			t.Errorf("map series %q names no registered map (series[0].map or geo.map)", got.SeriesType)
		} else if got.Features != 101 {
			t.Errorf("registered map %q has %d features, want 101 départements", got.MapName, got.Features)
		}
		if len(got.Filled) > 0 {
			t.Errorf("the page gives no map data for %d départements (ECharts filled them in with no value): %v", len(got.Filled), got.Filled)
		}
		if len(got.Unmatched) > 0 {
			t.Errorf("%d map data items match no feature of map %q, so they are not drawn: %v", len(got.Unmatched), got.MapName, got.Unmatched)
		}
		t.Logf("map %q: %d features, series %q with %d items (%d with a value)", got.MapName, got.Features, got.SeriesType, got.Data, got.Valued)
	} else {
		t.Logf("chart #%s: %d series, first %q with %d items, map %q (%d features)", got.ChartID, got.Series, got.SeriesType, got.Data, got.MapName, got.Features)
	}

	// The ranking table.
	if pc.ranking101 {
		switch {
		case got.Rows < 0:
			t.Errorf("no ranking table in <main> (%d tables)", got.Tables)
		case got.Rows != 101:
			t.Errorf("ranking table #%s has %d body rows, want 101 départements", got.TableID, got.Rows)
		}
	}

	// Screenshots, full page at 1280×900.
	png, err := chromedp.Run(tabCtx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	saveFile(t, filepath.Join(shots, pc.shot+".png"), png)
	if pc.print {
		err := chromedp.Do(tabCtx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}))
		if err != nil {
			t.Fatalf("emulating print media: %v", err)
		}
		png, err := chromedp.Run(tabCtx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("print screenshot: %v", err)
		}
		saveFile(t, filepath.Join(shots, pc.shot+"-print.png"), png)
		pdf, err := chromedp.Run(tabCtx, chromedp.PrintToPDF(
			chromedp.PDFPaper(chromedp.PaperA4),
			chromedp.PDFPreferCSSPageSize(), // the stylesheet's @page: A4 portrait, as a browser prints it
			chromedp.PDFPrintBackground(),
		))
		if err != nil {
			t.Fatalf("printing to PDF: %v", err)
		}
		saveFile(t, filepath.Join(shots, pc.shot+".pdf"), pdf)
		// A département prints as its summary, plan and map: what an
		// officer takes to elected officials, on at most two A4 pages.
		pages := len(pdfPageRe.FindAll(pdf, -1))
		t.Logf("%s prints on %d A4 pages", pc.rel, pages)
		if pages < 1 || pages > maxPrintPages {
			t.Errorf("%s prints on %d A4 pages, want 1 to %d", pc.rel, pages, maxPrintPages)
		}
	}

	// Weight: the page, the local files it references, and any other local
	// file the browser loaded for it.
	files, err := localReferences(file, pc.out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ev.loadedFiles() {
		if !slices.Contains(files, f) {
			t.Logf("%s: the browser also loaded %s, counted in the weight", pc.rel, f)
			files = append(files, f)
		}
	}
	var weight int64
	var parts []string
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			continue
		}
		weight += fi.Size()
		rel, _ := filepath.Rel(pc.out, f)
		parts = append(parts, fmt.Sprintf("%s %d", filepath.ToSlash(rel), fi.Size()))
	}
	t.Logf("%s weighs %d bytes (%.2f MB) with its local files: %s", pc.rel, weight, float64(weight)/1e6, strings.Join(parts, ", "))
	if pc.maxWeight > 0 && weight > pc.maxWeight {
		t.Errorf("%s weighs %d bytes with its local files, more than the budget of %d bytes (%.1f MB)", pc.rel, weight, pc.maxWeight, float64(pc.maxWeight)/1e6)
	}

	// A line in the shape of a benchmark result, for whoever tracks it.
	name := strings.NewReplacer("/", "_", ".html", "").Replace(pc.rel)
	t.Logf("BenchmarkBrowserPage/%s\t1\t%d ns/op-to-draw\t%d B/page", name, time.Duration(*m.Painted*float64(time.Millisecond)).Nanoseconds(), weight)
}

// pageEvents collects what a tab reports: console errors, exceptions, log
// errors and every request it sends.
type pageEvents struct {
	mu       sync.Mutex
	errors   []string
	warnings []string
	requests []string
}

// record runs in the loop of the tab: it must return fast.
func (p *pageEvents) record(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		msg := "console." + string(ev.Type) + ": " + remoteArgs(ev.Args) + stackPlace(ev.StackTrace)
		switch ev.Type {
		case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeAssert:
			p.errors = append(p.errors, msg)
		case runtime.ConsoleAPICalledTypeWarning:
			p.warnings = append(p.warnings, msg)
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := "uncaught exception: " + d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		p.errors = append(p.errors, fmt.Sprintf("%s (%s:%d:%d)", msg, d.URL, d.LineNumber+1, d.ColumnNumber+1))
	case *cdplog.EventEntryAdded:
		e := ev.Entry
		msg := fmt.Sprintf("log %s (%s): %s", e.Level, e.Source, e.Text)
		if e.URL != "" {
			msg += fmt.Sprintf(" (%s:%d)", e.URL, e.LineNumber+1)
		}
		switch e.Level {
		case cdplog.EntryLevelError:
			p.errors = append(p.errors, msg)
		case cdplog.EntryLevelWarning:
			p.warnings = append(p.warnings, msg)
		}
	case *network.EventRequestWillBeSent:
		if ev.Request != nil {
			p.requests = append(p.requests, ev.Request.URL)
		}
	}
}

// report fails the test on console errors and on requests that are not
// local files or data: URLs.
func (p *pageEvents) report(t *testing.T) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.warnings {
		t.Logf("browser warning: %s", w)
	}
	for _, e := range p.errors {
		t.Errorf("browser error: %s", e)
	}
	local := 0
	for _, u := range p.requests {
		scheme, _, _ := strings.Cut(u, ":")
		switch strings.ToLower(scheme) {
		case "file":
			local++
		case "data":
		default:
			if len(u) > 200 {
				u = u[:200] + "…"
			}
			t.Errorf("the page sent a request that is not a local file: %s (the pages must work offline)", u)
		}
	}
	t.Logf("%d requests, %d of them for local files", len(p.requests), local)
}

// loadedFiles returns the local files the browser requested.
func (p *pageEvents) loadedFiles() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var files []string
	for _, u := range p.requests {
		pu, err := url.Parse(u)
		if err != nil || pu.Scheme != "file" {
			continue
		}
		f := filepath.Clean(filepath.FromSlash(pu.Path))
		if !slices.Contains(files, f) {
			files = append(files, f)
		}
	}
	return files
}

func remoteArgs(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		switch {
		case a == nil:
		case a.Type == runtime.RemoteObjectTypeString && len(a.Value) > 0:
			s := string(a.Value)
			if u, err := unquoteJSON(s); err == nil {
				s = u
			}
			parts = append(parts, s)
		case a.Description != "":
			parts = append(parts, a.Description)
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		case a.UnserializableValue != "":
			parts = append(parts, string(a.UnserializableValue))
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

func unquoteJSON(s string) (string, error) {
	var v string
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return "", err
	}
	return v, nil
}

func stackPlace(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return ""
	}
	f := st.CallFrames[0]
	return fmt.Sprintf(" (%s:%d:%d)", f.URL, f.LineNumber+1, f.ColumnNumber+1)
}

// Attributes that load a resource. Links (<a href>, <area href>) are
// navigations, not part of the page weight, so they are left out.
var (
	scriptBody = regexp.MustCompile(`(?is)(<script\b[^>]*>).*?</script\s*>`)
	comment    = regexp.MustCompile(`(?s)<!--.*?-->`)
	tag        = regexp.MustCompile(`(?is)<([a-z][a-z0-9-]*)\b([^>]*)>`)
	refAttr    = regexp.MustCompile(`(?is)(?:^|\s)(src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
)

// localReferences returns the page itself and the existing local files its
// src= and href= attributes reference (except links to other pages),
// resolved against the folder of the page; a path starting with / is taken
// from the root of the published folder.
func localReferences(page, root string) ([]string, error) {
	b, err := os.ReadFile(page)
	if err != nil {
		return nil, err
	}
	doc := comment.ReplaceAllString(scriptBody.ReplaceAllString(string(b), "$1"), "")
	files := []string{filepath.Clean(page)}
	for _, tm := range tag.FindAllStringSubmatch(doc, -1) {
		name := strings.ToLower(tm[1])
		if name == "a" || name == "area" {
			continue
		}
		for _, am := range refAttr.FindAllStringSubmatch(tm[2], -1) {
			ref := strings.TrimSpace(html.UnescapeString(am[2] + am[3] + am[4]))
			if ref == "" || strings.HasPrefix(ref, "#") {
				continue
			}
			u, err := url.Parse(ref)
			if err != nil || u.Host != "" || (u.Scheme != "" && u.Scheme != "file") || u.Path == "" {
				continue
			}
			var f string
			switch {
			case u.Scheme == "file":
				f = filepath.FromSlash(u.Path)
			case strings.HasPrefix(u.Path, "/"):
				f = filepath.Join(root, filepath.FromSlash(u.Path))
			default:
				f = filepath.Join(filepath.Dir(page), filepath.FromSlash(u.Path))
			}
			f = filepath.Clean(f)
			if fi, err := os.Stat(f); err != nil || !fi.Mode().IsRegular() {
				continue
			}
			if !slices.Contains(files, f) {
				files = append(files, f)
			}
		}
	}
	return files, nil
}

func saveFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("saved %s (%d bytes)", path, len(data))
}

// lockedBuffer collects the output of the browser, written from another goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// relevant returns the output without the lines about D-Bus, which a
// container or a CI runner has not, and which say nothing about the pages.
func (b *lockedBuffer) relevant() string {
	var keep []string
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.Contains(l, "dbus") || strings.TrimSpace(l) == "" {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}
