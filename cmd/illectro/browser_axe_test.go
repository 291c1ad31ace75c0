package main

import (
	"context"
	_ "embed"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core 4.14.1 (testdata/axe/README.md): the accessibility
// rules the published pages must pass, injected by the test only.
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// axeViolation is one rule a page breaks, with a few of its elements.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
	Count  int      `json:"count"`
}

const runAxe = `axe.run(document, { resultTypes: ["violations"] }).then(function (r) {
  return r.violations.map(function (v) {
    return { id: v.id, impact: v.impact || "", help: v.help, count: v.nodes.length,
             nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(" "); }) };
  });
})`

// checkAxe opens the page rel and runs axe-core on it, as loaded (maps
// drawn): every violation fails the test.
func checkAxe(t *testing.T, browserCtx context.Context, out, rel string) {
	got := axeViolations(t, browserCtx, out, rel, "")
	for _, v := range got {
		t.Errorf("%s: axe %s (%s, %d elements): %s — e.g. %s", rel, v.ID, v.Impact, v.Count, v.Help, strings.Join(v.Nodes, "; "))
	}
	t.Logf("%s: %d axe-core violations", rel, len(got))
}

// checkAxeCatches plants an image without a text alternative in the page
// rel: axe-core must report it, so that a run with no violation means
// something.
func checkAxeCatches(t *testing.T, browserCtx context.Context, out, rel string) {
	got := axeViolations(t, browserCtx, out, rel,
		`var i = document.createElement("img"); i.src = "data:,"; document.querySelector("main").appendChild(i);`)
	if len(got) != 1 || got[0].ID != "image-alt" {
		t.Errorf("%s with an image without alt: axe reports %+v, want image-alt only", rel, got)
	}
}

// axeViolations runs axe-core on the page rel after the script plant.
func axeViolations(t *testing.T, browserCtx context.Context, out, rel, plant string) []axeViolation {
	tabCtx, cancel := chromedp.NewContext(browserCtx)
	defer cancel()
	if err := chromedp.Do(tabCtx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(fileURL(filepath.Join(out, filepath.FromSlash(rel)))),
		chromedp.WaitReady("body"),
	); err != nil {
		t.Fatal(err)
	}
	if !waitFor(tabCtx, `document.readyState === "complete"`, 10*time.Second) {
		t.Fatalf("%s did not finish loading", rel)
	}
	if _, err := chromedp.Run(tabCtx, chromedp.Evaluate[bool](axeSource+";"+plant+`;typeof axe === "object"`)); err != nil {
		t.Fatalf("%s: injecting axe-core: %v", rel, err)
	}
	got, err := chromedp.Run(tabCtx, chromedp.Evaluate[[]axeViolation](runAxe, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe.run: %v", rel, err)
	}
	return got
}
