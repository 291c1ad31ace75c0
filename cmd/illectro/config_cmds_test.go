package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Every subcommand reads the same configuration: `ingest --config` writes
// to the configured database, not to ./illectro.duckdb.
func TestIngestReadsConfiguredDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "configured.duckdb")
	conf := filepath.Join(dir, "illectro.toml")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf("db = %q\n", db)), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "a.csv")
	body := "respondent_id,assessed_on,code_insee,age_band,internet_last_3_months,information,communication,content_creation,safety,problem_solving\n" +
		"C-1,2026-10-01,23096,45-59,oui,1,1,1,1,1\n"
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir) // where the default ./illectro.duckdb would land
	env := map[string]string{"ILLECTRO_HMAC_KEY": attackKey}
	if _, stderr, err := runCLI(t, t.Context(), env, "", "ingest", "--config", conf, "--kind", "assessments", file); err != nil {
		t.Fatalf("ingest --config: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("ingest --config did not write the configured database %s: %v", db, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "illectro.duckdb")); err == nil {
		t.Errorf("ingest --config wrote ./illectro.duckdb, not the configured database")
	}
}
