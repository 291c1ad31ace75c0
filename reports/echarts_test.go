package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// echartsBuildDir holds what makes assets/echarts.min.js: the pinned npm
// packages, the entry listing the modules the pages use, and the script.
const echartsBuildDir = "assets/echarts-build"

// echartsBuildInputs are the committed files the build reads.
var echartsBuildInputs = []string{".npmrc", "package.json", "package-lock.json", "index.js", "banner.js", "build.sh"}

// TestEChartsBundleReproducible rebuilds the ECharts bundle from the
// committed inputs alone (copied into a temporary folder, with a fresh
// `npm ci`) and checks that the result is byte for byte the committed
// assets/echarts.min.js. It needs npm and the npm registry (or npm's cache),
// so it runs only when ILLECTRO_ECHARTS_REBUILD=1.
func TestEChartsBundleReproducible(t *testing.T) {
	if os.Getenv("ILLECTRO_ECHARTS_REBUILD") != "1" {
		t.Skip("SKIPPED: the ECharts bundle was NOT rebuilt; set ILLECTRO_ECHARTS_REBUILD=1 (needs npm and the npm registry) to rebuild it and compare")
	}
	for _, tool := range []string{"npm", "node", "sh"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("SKIPPED: the ECharts bundle was NOT rebuilt: no %s in PATH", tool)
		}
	}
	dir := t.TempDir()
	for _, name := range echartsBuildInputs {
		b, err := os.ReadFile(filepath.Join(echartsBuildDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "echarts.min.js")
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", filepath.Join(dir, "build.sh"), out)
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sh build.sh: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := assets.ReadFile("assets/echarts.min.js")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < min(len(got), len(want)) && got[i] == want[i] {
			i++
		}
		t.Errorf("rebuilt echarts.min.js (%d bytes) differs from the committed one (%d bytes) from byte %d: run sh %s/build.sh and commit the result",
			len(got), len(want), i, echartsBuildDir)
	}
}

// TestEChartsVersion: the bundle, the version pinned for npm and the one
// the pages' footer credits are the same.
func TestEChartsVersion(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(echartsBuildDir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	pinned := pkg.DevDependencies["echarts"]
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(pinned) {
		t.Fatalf("package.json pins echarts %q, want an exact version", pinned)
	}
	bundle, err := assets.ReadFile("assets/echarts.min.js")
	if err != nil {
		t.Fatal(err)
	}
	// The banner names the version, and so does echarts.version, the one
	// string of the code in the form "5.6.0" with zrender's.
	if !bytes.Contains(bundle, []byte("Apache ECharts "+pinned+" (")) || !bytes.Contains(bundle, []byte(`"`+pinned+`"`)) {
		t.Errorf("echarts.min.js is not ECharts %s, which package.json pins", pinned)
	}
	layout, err := templateFiles.ReadFile("templates/layout.html.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(layout, []byte("Apache ECharts "+pinned+",")) {
		t.Errorf("the footer (templates/layout.html.tmpl) does not credit Apache ECharts %s", pinned)
	}
}
