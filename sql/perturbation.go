package sql

import (
	"context"
	gosql "database/sql"
	"fmt"
	"strings"

	"github.com/illectro/illectro/disclosure"
)

// perturbationTableDDL creates ref_perturbation_table, with its comments.
var perturbationTableDDL = mustRead("queries/perturbation_table.sql")

// writePerturbationTable replaces ref_perturbation_table with the
// perturbation table of p's noise parameters and secrecy threshold.
func writePerturbationTable(ctx context.Context, tx *gosql.Tx, p Params) error {
	p, err := p.withDefaults()
	if err != nil {
		return err
	}
	tab, err := disclosure.NewTable(p.Noise)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, perturbationTableDDL); err != nil {
		return fmt.Errorf("create ref_perturbation_table: %w", err)
	}
	values := make([]string, len(tab.Rows))
	args := make([]any, 0, 6*len(tab.Rows))
	for i, r := range tab.Rows {
		values[i] = "(?, ?, ?, ?, ?, ?)"
		args = append(args, r.Table, r.Count, r.Noise, r.Probability, r.KeyLow, r.KeyHigh)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO ref_perturbation_table VALUES "+strings.Join(values, ", "), args...); err != nil {
		return fmt.Errorf("fill ref_perturbation_table: %w", err)
	}
	return nil
}
