package sql

import (
	"slices"
	"strings"
	"testing"
)

// Every model file of every layer creates the relation it is named after,
// and only it, says what it is for and what its grain is; the order puts
// every model after those it reads.
func TestModelsOnePerFile(t *testing.T) {
	for _, layer := range slices.Concat(viewLayers, martLayers) {
		if layer == "macros" {
			continue
		}
		models, err := layerModels(layer)
		if err != nil {
			t.Fatal(err)
		}
		placed := map[string]bool{}
		for _, m := range models {
			if !strings.HasPrefix(m.sql, "-- Purpose:") || !strings.Contains(m.sql, "\n-- Grain:") {
				t.Errorf("%s does not begin with -- Purpose: and state its -- Grain:", m.file)
			}
			for _, d := range m.deps {
				if !placed[d] {
					t.Errorf("%s is applied before %s, which it reads", m.file, d)
				}
			}
			placed[m.name] = true
		}
	}
}

func TestLayerOrder(t *testing.T) {
	// int_departement__assessments reads int_assessments__counts: alphabetic
	// order would apply it first.
	models, err := layerModels("intermediate")
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, m := range models {
		pos[m.name] = i
	}
	for _, pair := range [][2]string{
		{"int_assessments__counts", "int_departement__assessments"},
		{"int_venues__pairs", "int_venues__clusters"},
		{"int_venues__clusters", "int_venues__deduplicated"},
		{"int_assessments__perturbed", "int_epci__assessments_secrecy"},
	} {
		if pos[pair[0]] >= pos[pair[1]] {
			t.Errorf("%s applied after %s, which reads it", pair[0], pair[1])
		}
	}
}

func TestModelCheck(t *testing.T) {
	tests := []struct {
		name, sql, want string
	}{
		{"a", "-- Purpose: x\nCREATE OR REPLACE VIEW a AS SELECT 1;", ""},
		{"a", "CREATE OR REPLACE TEMP TABLE a AS SELECT 1;", ""},
		{"a", "CREATE VIEW b AS SELECT 1;", "creates [b], want only a"},
		{"a", "CREATE VIEW a AS SELECT 1;\nCREATE VIEW a2 AS SELECT 1;", "creates [a a2]"},
		{"a", "-- CREATE VIEW b AS: a comment does not count\nCREATE VIEW a AS SELECT 'CREATE VIEW c';", ""},
		{"a", "CREATE MACRO a() AS 1;", ""},
		{"hist_x", "INSERT INTO hist_x SELECT 1;", ""},
		{"hist_x", "INSERT INTO hist_y SELECT 1;", "appends to hist_y"},
	}
	for _, tt := range tests {
		m := model{name: tt.name, file: "layer/" + tt.name + ".sql", sql: tt.sql}
		err := m.check()
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("check(%q) = %v, want %q", tt.sql, err, tt.want)
		}
	}
}

func TestStripComments(t *testing.T) {
	got := stripComments("SELECT a -- from b\nFROM c WHERE x = 'it''s d' AND y = 'e'")
	if strings.Contains(got, "b") && strings.Contains(got, " b") || strings.Contains(got, "d'") || strings.Contains(got, "'e'") {
		t.Errorf("stripComments left a comment or literal: %q", got)
	}
	if !strings.Contains(got, "FROM c") {
		t.Errorf("stripComments removed code: %q", got)
	}
}
