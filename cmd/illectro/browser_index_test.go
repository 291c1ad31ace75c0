package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// indexSeen is what the national page shows around its map: the visible
// top-ten list, the table's order and sort state.
type indexSeen struct {
	Visible   []string `json:"visible"`   // data-indicateur of the visible top-ten lists
	Top       []string `json:"top"`       // their items' département names
	FirstRows []string `json:"firstRows"` // the table's first three départements
	Sorted    string   `json:"sorted"`    // aria-sort of the chosen indicator's column
}

const readIndex = `(function (id) {
  var r = { visible: [], top: [], firstRows: [], sorted: "" };
  document.querySelectorAll("ol.dix").forEach(function (ol) {
    if (!ol.hidden) {
      r.visible.push(ol.getAttribute("data-indicateur"));
      ol.querySelectorAll("a").forEach(function (a) { r.top.push(a.textContent); });
    }
  });
  var rows = document.querySelectorAll("#classement tbody tr");
  for (var i = 0; i < 3 && i < rows.length; i++) { r.firstRows.push(rows[i].querySelector("th").textContent); }
  var th = document.querySelector('#classement th[data-indicateur="' + id + '"]');
  r.sorted = th ? th.getAttribute("aria-sort") || "" : "no column";
  return r;
})`

// checkIndexInteractions chooses another indicator on the national page:
// the top ten and the table must follow it; then clicks Nord on the map,
// which must open Nord's page.
func checkIndexInteractions(t *testing.T, browserCtx context.Context, out string) {
	ev := &pageEvents{}
	tabCtx, cancel := chromedp.NewContext(browserCtx, chromedp.WithListener(ev.record))
	defer cancel()
	defer ev.report(t)
	if err := chromedp.Do(tabCtx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(fileURL(filepath.Join(out, "index.html"))),
		chromedp.WaitVisible("#carte_departements canvas"),
	); err != nil {
		t.Fatal(err)
	}
	const id = "personnes-estimees"
	before, err := chromedp.Run(tabCtx, chromedp.Evaluate[indexSeen](readIndex+`("fragilite")`))
	if err != nil {
		t.Fatal(err)
	}
	if len(before.Visible) != 1 || before.Visible[0] != "fragilite" || len(before.Top) != 10 {
		t.Errorf("on load: top-ten lists %v with %d items, want the fragility one with 10", before.Visible, len(before.Top))
	}
	// The table comes from the most fragile département (rank 1).
	if len(before.FirstRows) == 0 || len(before.Top) == 0 || before.FirstRows[0] != before.Top[0] {
		t.Errorf("on load: the table begins with %v, the fragility top ten with %v: want the same first", before.FirstRows, before.Top)
	}

	if err := chromedp.Do(tabCtx, chromedp.SetValue("#indicateur", id), chromedp.Evaluate[chromedp.Void](
		`document.getElementById("indicateur").dispatchEvent(new Event("change"))`)); err != nil {
		t.Fatal(err)
	}
	after, err := chromedp.Run(tabCtx, chromedp.Evaluate[indexSeen](readIndex+`("`+id+`")`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("index.html, %s: top ten %v; table begins %v", id, after.Top, after.FirstRows)
	if len(after.Visible) != 1 || after.Visible[0] != id || len(after.Top) != 10 {
		t.Errorf("after choosing %s: visible top-ten lists %v (%d items), want only %s with 10", id, after.Visible, len(after.Top), id)
	}
	if len(after.FirstRows) < 3 || len(after.Top) < 3 || strings.Join(after.FirstRows, ",") != strings.Join(after.Top[:3], ",") {
		t.Errorf("after choosing %s: the table begins with %v, want the top ten's first three %v", id, after.FirstRows, after.Top)
	}
	if after.Sorted != "descending" {
		t.Errorf("after choosing %s: its column's aria-sort = %q, want descending", id, after.Sorted)
	}

	// Rates and indices are drawn in classes (≥ 3:1 between adjacent fills,
	// checked in reports); withheld or missing values are hatched. Counts
	// are circles proportional to the value on a neutral map: for the gap,
	// red and filled above 0, blue and hollow below.
	type scaleSeen struct {
		Pieces, NoData, Hatched int
		Shown                   bool
		Circles, Filled, Hollow int
		Reading                 string
	}
	readScale := func(id string) scaleSeen {
		if err := chromedp.Do(tabCtx, chromedp.SetValue("#indicateur", id), chromedp.Evaluate[chromedp.Void](
			`document.getElementById("indicateur").dispatchEvent(new Event("change"))`)); err != nil {
			t.Fatal(err)
		}
		s, err := chromedp.Run(tabCtx, chromedp.Evaluate[scaleSeen](`(function () {
  var o = echarts.getInstanceByDom(document.getElementById("carte_departements")).getOption();
  var none = o.series[0].data.filter(function (d) { return typeof d.value !== "number" || isNaN(d.value); });
  var circles = [];
  o.series.forEach(function (s) { if (s.id === "cercles") { circles = s.data; } });
  return { Pieces: o.visualMap[0].pieces.length, Shown: o.visualMap[0].show !== false,
           NoData: none.length, Hatched: none.filter(function (d) { return d.itemStyle && d.itemStyle.decal; }).length,
           Circles: circles.length,
           Filled: circles.filter(function (d) { return d.value[2] > 0 && d.itemStyle.color === "#b2182b"; }).length,
           Hollow: circles.filter(function (d) { return d.value[2] < 0 && d.itemStyle.borderColor === "#2166ac" && d.itemStyle.color.indexOf("rgba(255, 255, 255") === 0; }).length,
           Reading: document.getElementById("lecture-echelle").textContent };
})()`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := readScale("ecart"); s.Shown || s.Circles < 90 || s.Filled+s.Hollow != s.Circles || s.Filled == 0 || !strings.Contains(s.Reading, "proportionnelle") {
		t.Errorf("ecart: %+v; want no colour legend, a circle per département with a non-zero gap, red filled above 0 and blue hollow below, read in words", s)
	}
	if s := readScale("personnes-estimees"); s.Shown || s.Circles < 95 {
		t.Errorf("personnes-estimees: %+v; want circles, no colour legend", s)
	}
	// Mayotte has no fragility index (its inputs are missing).
	if s := readScale("fragilite"); !s.Shown || s.Pieces != 3 || s.Circles != 0 || s.NoData == 0 || s.Hatched != s.NoData {
		t.Errorf("fragilite: %+v; want 3 classes shown, no circles, the départements without a value all hatched", s)
	}

	// Zoom: the buttons (keyboard) and the mouse wheel zoom France; the
	// circles and venues follow it (they stand on the same geo component);
	// "Vue d'ensemble" goes back.
	zoom := func() float64 {
		z, err := chromedp.Run(tabCtx, chromedp.Evaluate[float64](
			`echarts.getInstanceByDom(document.getElementById("carte_departements")).getOption().geo[0].zoom || 1`))
		if err != nil {
			t.Fatal(err)
		}
		return z
	}
	if err := chromedp.Do(tabCtx, chromedp.Click("#zoom-avant"), chromedp.Click("#zoom-avant")); err != nil {
		t.Fatal(err)
	}
	if z := zoom(); math.Abs(z-2.25) > 1e-9 {
		t.Errorf("after two clicks on Zoom avant: zoom %v, want 2.25", z)
	}
	if err := chromedp.Do(tabCtx, chromedp.Click("#zoom-ensemble")); err != nil {
		t.Fatal(err)
	}
	if z := zoom(); z != 1 {
		t.Errorf("after Vue d'ensemble: zoom %v, want 1", z)
	}
	type point struct{ X, Y float64 }
	centre, err := chromedp.Run(tabCtx, chromedp.Evaluate[point](`(function () {
  var el = document.getElementById("carte_departements");
  el.scrollIntoView({ block: "center" });
  var xy = echarts.getInstanceByDom(el).convertToPixel({ geoIndex: 0 }, [2.5, 46.5]);
  var r = el.getBoundingClientRect();
  return { X: r.left + xy[0], Y: r.top + xy[1] };
})()`))
	if err != nil {
		t.Fatal(err)
	}
	// A real wheel turn, as the browser sends it, over the centre of France.
	if err := chromedp.Do(tabCtx, chromedp.MouseEvent(chromedp.MouseMoved, centre.X, centre.Y),
		chromedp.MouseEvent(chromedp.MouseWheel, centre.X, centre.Y, func(p *input.DispatchMouseEventParams) {
			p.DeltaY = -300
			p.DeltaX = 0.001 // the protocol requires both, and omits a 0
		}),
		chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if z := zoom(); z <= 1 {
		t.Errorf("after a wheel turn on the map: zoom %v, want more than 1", z)
	}
	if err := chromedp.Do(tabCtx, chromedp.Click("#zoom-ensemble")); err != nil {
		t.Fatal(err)
	}

	// The inset draws Paris and its inner ring; a click on Paris there
	// opens its page (checked last, below, with Nord on the main map).
	inset, err := chromedp.Run(tabCtx, chromedp.Evaluate[[]string](`(function () {
  var o = echarts.getInstanceByDom(document.getElementById("carte_departements")).getOption();
  return o.geo.map(function (g) { return g.id + ":" + g.map; });
})()`))
	if err != nil || strings.Join(inset, ",") != "france:france,encart:idf" {
		t.Errorf("geo components %v (%v), want France and the Île-de-France inset", inset, err)
	}

	// The map saves itself as an image, offline: its toolbox has the button
	// and the canvas exports (no resource from elsewhere taints it).
	saves, err := chromedp.Run(tabCtx, chromedp.Evaluate[bool](`(function () {
  var c = echarts.getInstanceByDom(document.getElementById("carte_departements"));
  var tb = c.getOption().toolbox;
  return !!(tb && tb[0].feature.saveAsImage.show) && c.getDataURL({ type: "png" }).indexOf("data:image/png;base64,") === 0;
})()`))
	if err != nil || !saves {
		t.Errorf("index.html: the map does not save as an image (%v)", err)
	}

	// A click on Nord (Lille's surroundings) on the map opens Nord's page;
	// back on the national page, a click on Paris in the inset opens Paris's.
	clickMapOpens(t, tabCtx, "{ seriesIndex: 0 }", 3.06, 50.63, "59")
	if err := chromedp.Do(tabCtx, chromedp.NavigateBack(), chromedp.WaitVisible("#carte_departements canvas")); err != nil {
		t.Fatal(err)
	}
	clickMapOpens(t, tabCtx, "{ geoIndex: 1 }", 2.345, 48.858, "75")
}

// clickMapOpens clicks, with the mouse, the national map at lon, lat in the
// coordinate system finder names (an ECharts finder, as JS), and checks
// that département code's page opens.
func clickMapOpens(t *testing.T, tabCtx context.Context, finder string, lon, lat float64, code string) {
	t.Helper()
	type point struct{ X, Y float64 }
	p, err := chromedp.Run(tabCtx, chromedp.Evaluate[point](fmt.Sprintf(`(function () {
  var el = document.getElementById("carte_departements");
  el.scrollIntoView({ block: "center" }); // a click lands in the viewport
  var xy = echarts.getInstanceByDom(el).convertToPixel(%s, [%g, %g]);
  var r = el.getBoundingClientRect();
  return { X: r.left + xy[0], Y: r.top + xy[1] };
})()`, finder, lon, lat)))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tabCtx, chromedp.MouseClickXY(p.X, p.Y)); err != nil {
		t.Fatal(err)
	}
	if !waitFor(tabCtx, `location.pathname.endsWith("/departements/`+code+`.html") && document.readyState === "complete"`, 10*time.Second) {
		loc, _ := chromedp.Run(tabCtx, chromedp.Location())
		t.Errorf("a click at (%.0f, %.0f), %s [%g, %g], left the page at %s, want departements/%s.html", p.X, p.Y, finder, lon, lat, loc, code)
	}
}
