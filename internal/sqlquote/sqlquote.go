// Package sqlquote spells Go strings as DuckDB SQL: the one place where the
// project quotes a value or a name into a statement, for the few statements
// that take no bound parameter (ATTACH, COPY … TO, CREATE TABLE names,
// table functions' file names).
package sqlquote

import "strings"

// String is s as an SQL string literal, each single quote doubled:
//
//	it's → 'it''s'
func String(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// Ident is s as a quoted SQL identifier, each double quote doubled:
//
//	a "b" → "a ""b"""
func Ident(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
