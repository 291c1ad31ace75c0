package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// searchResult is what the search box lists: each result's links.
type searchResult struct {
	Status  string       `json:"status"`
	Results [][]linkSeen `json:"results"`
	Active  string       `json:"active"` // href of the focused link, "" for none
}

type linkSeen struct {
	Text string `json:"text"`
	Href string `json:"href"`
}

const readSearch = `(function () {
  var r = { status: document.getElementById("recherche-etat").textContent, results: [],
            active: document.activeElement && document.activeElement.tagName === "A" ? document.activeElement.href : "" };
  document.querySelectorAll("#recherche-resultats > li").forEach(function (li) {
    r.results.push(Array.prototype.map.call(li.querySelectorAll("a"), function (a) {
      return { text: a.textContent, href: a.href };
    }));
  });
  return r;
})()`

// targetRow is the table row the URL's fragment points at: its table's
// caption and its row header, "" when there is none.
const targetRow = `(function () {
  var tr = document.querySelector("tr:target");
  if (!tr) { return ""; }
  var caption = tr.closest("table").querySelector("caption");
  return (caption ? caption.textContent : "") + " | " + tr.querySelector("th").textContent;
})()`

// checkSearch uses the offline search box of the page rel as a keyboard
// user would: typed query, arrow down to the first result, Enter; then the
// département page must show the commune's row, and the EPCI link of the
// result must lead to a row of the page's EPCI table. want is the first
// result's commune link text, e.g. "Guéret (23096)".
func checkSearch(t *testing.T, browserCtx context.Context, out, rel, query, want, wantPage string, useSubmit bool) {
	ev := &pageEvents{}
	tabCtx, cancel := chromedp.NewContext(browserCtx, chromedp.WithListener(ev.record))
	defer cancel()
	defer ev.report(t)

	if err := chromedp.Do(tabCtx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(fileURL(filepath.Join(out, filepath.FromSlash(rel)))),
		chromedp.WaitVisible("#recherche-saisie"),
		chromedp.Focus("#recherche-saisie"),
		chromedp.SendKeys("#recherche-saisie", query),
	); err != nil {
		t.Fatalf("%s: typing %q in the search box: %v", rel, query, err)
	}
	if _, err := chromedp.Run(tabCtx, chromedp.Poll[chromedp.Void](
		`document.querySelectorAll("#recherche-resultats > li").length > 0`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		got, _ := chromedp.Run(tabCtx, chromedp.Evaluate[searchResult](readSearch))
		t.Fatalf("%s: no result for %q within 10 s (status %q)", rel, query, got.Status)
	}
	got, err := chromedp.Run(tabCtx, chromedp.Evaluate[searchResult](readSearch))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %q → %s; first result %v", rel, query, got.Status, got.Results[0])
	first := got.Results[0]
	if len(first) != 3 || first[0].Text != want {
		t.Fatalf("%s: first result for %q = %v, want %q with its EPCI and département links", rel, query, first, want)
	}
	code := want[strings.LastIndex(want, "(")+1 : len(want)-1]
	if !strings.HasSuffix(first[0].Href, "departements/"+wantPage+".html#c-"+code) ||
		!strings.Contains(first[1].Href, "departements/"+wantPage+".html#e-") ||
		!strings.HasSuffix(first[2].Href, "departements/"+wantPage+".html") {
		t.Errorf("%s: links of the first result = %v, want the commune's row, its EPCI's row and the page of %s", rel, first, wantPage)
	}

	// Keyboard: arrow down focuses the first result, Enter follows it (or
	// Enter in the box submits the first result).
	if useSubmit {
		err = chromedp.Do(tabCtx, chromedp.KeyEvent(kb.Enter))
	} else {
		err = chromedp.Do(tabCtx, chromedp.KeyEvent(kb.ArrowDown))
		if err == nil {
			var focused searchResult
			focused, err = chromedp.Run(tabCtx, chromedp.Evaluate[searchResult](readSearch))
			if err == nil && focused.Active != first[0].Href {
				t.Errorf("%s: arrow down focused %q, want the first result %q", rel, focused.Active, first[0].Href)
			}
			err = chromedp.Do(tabCtx, chromedp.KeyEvent(kb.Enter))
		}
	}
	if err != nil {
		t.Fatalf("%s: keyboard: %v", rel, err)
	}
	if !waitFor(tabCtx, `location.hash === "#c-`+code+`" && document.readyState === "complete"`, 10*time.Second) {
		loc, _ := chromedp.Run(tabCtx, chromedp.Location())
		t.Fatalf("%s: Enter on %q did not open the commune's row: at %s", rel, want, loc)
	}
	row, err := chromedp.Run(tabCtx, chromedp.Evaluate[string](targetRow))
	if err != nil || !strings.HasPrefix(row, "Indicateurs par commune") || !strings.Contains(row, want) {
		t.Errorf("%s: the row shown for %q is %q (%v), want the commune's row of the communes table", rel, want, row, err)
	}

	// The result's EPCI link leads to a row of the EPCI table.
	if err := chromedp.Do(tabCtx, chromedp.Navigate(first[1].Href)); err != nil {
		t.Fatal(err)
	}
	waitFor(tabCtx, `location.hash === "#`+first[1].Href[strings.LastIndex(first[1].Href, "#")+1:]+`"`, 5*time.Second)
	row, err = chromedp.Run(tabCtx, chromedp.Evaluate[string](targetRow))
	if err != nil || !strings.HasPrefix(row, "Indicateurs par intercommunalité") || !strings.Contains(row, first[1].Text) {
		t.Errorf("%s: the EPCI link %s shows %q (%v), want the row of %q in the EPCI table", rel, first[1].Href, row, err, first[1].Text)
	}
}

// checkEPCI checks a département page's EPCI table and map layer: a row
// per EPCI, each with its figures, and a series of EPCI on the map with as
// many points.
func checkEPCI(t *testing.T, browserCtx context.Context, out, rel string) {
	tabCtx, cancel := chromedp.NewContext(browserCtx)
	defer cancel()
	type epciSeen struct {
		Rows, Cells, Empty, Points int
		Names                      []string
	}
	if err := chromedp.Do(tabCtx,
		chromedp.Navigate(fileURL(filepath.Join(out, filepath.FromSlash(rel)))),
		chromedp.WaitVisible("#titre-epci"),
	); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tabCtx, chromedp.Poll[chromedp.Void](
		`(function () { var c = echarts.getInstanceByDom(document.getElementById("carte_departement"));
		  return c && c.getOption().series.some(function (s) { return s.name === "Intercommunalités" && s.data.length > 0 && s.data[0].texte; }); })()`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("%s: the map has no EPCI layer with its tooltips within 10 s: %v", rel, err)
	}
	got, err := chromedp.Run(tabCtx, chromedp.Evaluate[epciSeen](`(function () {
	  var table = document.getElementById("legende-epci").closest("table");
	  var rows = table.querySelectorAll("tbody > tr");
	  var r = { rows: rows.length, cells: 0, empty: 0, points: -1, names: [] };
	  rows.forEach(function (tr) {
	    r.names.push(tr.querySelector("th").textContent);
	    tr.querySelectorAll("td").forEach(function (td) { r.cells++; if (td.textContent.trim() === "") { r.empty++; } });
	  });
	  var c = echarts.getInstanceByDom(document.getElementById("carte_departement"));
	  c.getOption().series.forEach(function (s) { if (s.name === "Intercommunalités") { r.points = s.data.length; } });
	  return r;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d EPCI in the table, %d on the map: %v", rel, got.Rows, got.Points, got.Names)
	switch {
	case got.Rows == 0:
		t.Errorf("%s: the EPCI table has no row", rel)
	case got.Points != got.Rows:
		t.Errorf("%s: %d EPCI on the map, %d in the table: the map and its table disagree", rel, got.Points, got.Rows)
	case got.Empty > 0 || got.Cells != 14*got.Rows:
		t.Errorf("%s: EPCI table has %d cells (%d empty), want 14 per row, none empty (\"—\" or \"s\" when there is no figure)", rel, got.Cells, got.Empty)
	}
}

// waitFor evaluates expr in the tab until it is true or timeout passes,
// across navigations (an evaluation that fails because the page is being
// replaced is tried again).
func waitFor(tabCtx context.Context, expr string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(tabCtx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}
