package sql

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// A model is one file of a model layer (staging, intermediate, marts):
// models/<layer>/<name>.sql creates the relation <name> and nothing else,
// as in dbt. Its dependencies are the other models of its layer it names;
// Build applies a layer's models in dependency order (ties by name), so
// that file names carry no ordering prefix. A history model (hist_*) appends
// to a raw table of its name; models that read that table read it as it was
// before the build, so they do not depend on the history model.
type model struct {
	name string // the file's base name without .sql: the relation it creates
	file string // embedded path, e.g. intermediate/int_departement__venues.sql
	sql  string
	deps []string // models of the same layer it reads
}

// createRe finds the relations a file creates; insertRe the table a history
// model appends to.
var (
	createRe = regexp.MustCompile(`(?im)^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\s+|TEMPORARY\s+)?(?:VIEW|TABLE|MACRO)\s+(\w+)`)
	insertRe = regexp.MustCompile(`(?im)^\s*INSERT\s+INTO\s+(\w+)`)
	identRe  = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
)

// layerModels reads the models of layer and returns them in the order to
// apply them: every model after the models it reads. A model that creates
// anything else than its own relation, or a cycle, is an error.
func layerModels(layer string) ([]model, error) {
	names, err := fileNames(layer)
	if err != nil {
		return nil, err
	}
	byName := map[string]*model{}
	var models []*model
	for _, file := range names {
		m := &model{name: strings.TrimSuffix(path.Base(file), ".sql"), file: file, sql: mustRead(file)}
		if err := m.check(); err != nil {
			return nil, err
		}
		byName[m.name] = m
		models = append(models, m)
	}
	for _, m := range models {
		seen := map[string]bool{}
		for _, id := range identRe.FindAllString(stripComments(m.sql), -1) {
			// A history model appends to a raw table: others read that
			// table as it was before the build, not after the model.
			if id != m.name && byName[id] != nil && !seen[id] && !strings.HasPrefix(id, "hist_") {
				seen[id] = true
				m.deps = append(m.deps, id)
			}
		}
		slices.Sort(m.deps)
	}
	// Depth-first: a model is placed after its dependencies; names in
	// order at each level, so that the order is the same on every build.
	var order []model
	state := map[string]int{} // 1 visiting, 2 placed
	var visit func(m *model, path []string) error
	visit = func(m *model, path []string) error {
		switch state[m.name] {
		case 2:
			return nil
		case 1:
			return fmt.Errorf("sql: models of %s read each other in a cycle: %s", layer, strings.Join(append(path, m.name), " → "))
		}
		state[m.name] = 1
		for _, d := range m.deps {
			if err := visit(byName[d], append(path, m.name)); err != nil {
				return err
			}
		}
		state[m.name] = 2
		order = append(order, *m)
		return nil
	}
	for _, m := range models {
		if err := visit(m, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// check verifies that the model creates its own relation, once, and no
// other (a history model, hist_*, appends to its table instead).
func (m *model) check() error {
	body := stripComments(m.sql)
	created := createRe.FindAllStringSubmatch(body, -1)
	if strings.HasPrefix(m.name, "hist_") && len(created) == 0 {
		for _, in := range insertRe.FindAllStringSubmatch(body, -1) {
			if in[1] != m.name {
				return fmt.Errorf("sql: %s appends to %s, not to %s: one model per file, named after it", m.file, in[1], m.name)
			}
		}
		return nil
	}
	if len(created) != 1 || created[0][1] != m.name {
		var got []string
		for _, c := range created {
			got = append(got, c[1])
		}
		return fmt.Errorf("sql: %s creates %v, want only %s: one model per file, named after it", m.file, got, m.name)
	}
	return nil
}

// stripComments removes -- comments and the contents of string literals,
// so that neither counts as a reference.
func stripComments(q string) string {
	var b strings.Builder
	b.Grow(len(q))
	for i := 0; i < len(q); i++ {
		switch {
		case q[i] == '-' && i+1 < len(q) && q[i+1] == '-':
			for i < len(q) && q[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
		case q[i] == '\'':
			i++
			for i < len(q) && (q[i] != '\'' || (i+1 < len(q) && q[i+1] == '\'')) {
				if q[i] == '\'' {
					i++ // a doubled quote inside the literal
				}
				i++
			}
			b.WriteString("''")
		default:
			b.WriteByte(q[i])
		}
	}
	return b.String()
}
