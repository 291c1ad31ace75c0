package diagnostics

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// CalibrateAssociation sets n.DiplomaIncome, the association of diploma and
// standard of living in the seed, to the value in [0, 1.5] for which the
// model fitted to the national margins on the national structure alone
// gives odds ratios closest to the published adjusted ones (n.Ratios):
// least squares on the log scale. Without it the two factors would be
// independent in the seed, and the model would count the effect of
// education twice: once through the diploma, once through the income that
// goes with it (raw ratios 42 ÷ 3 and 20 ÷ 3, adjusted 7.0 and 6.6).
// overseas is the overseas départements' share of the people aged 15+ of
// the survey's field. With no published ratio, n is left as it is. It
// returns the squared distance reached.
func (n *National) CalibrateAssociation(margins []Margin, overseas float64) (float64, error) {
	if len(n.Ratios) == 0 {
		return 0, nil
	}
	var national []Margin
	for _, m := range constraints(margins, Central, "") {
		if !strings.HasPrefix(m.Field, "region:") {
			national = append(national, m)
		}
	}
	byID := map[string]Margin{}
	for _, m := range margins {
		byID[m.ID] = m
	}
	loss := func(lambda float64) (float64, error) {
		c := *n
		c.DiplomaIncome = lambda
		f, err := nationalFit(&c, national, byID, overseas)
		if err != nil {
			return 0, err
		}
		s := 0.0
		for _, r := range n.Ratios {
			or, err := f.OddsRatio(r)
			if err != nil {
				return 0, err
			}
			s += math.Pow(math.Log(or/r.Value), 2)
		}
		return s, nil
	}
	// Golden-section search.
	g := (math.Sqrt(5) - 1) / 2
	a, b := 0.0, 1.5
	c, d := b-g*(b-a), a+g*(b-a)
	fc, err := loss(c)
	if err != nil {
		return 0, fmt.Errorf("association of diploma and income: %w", err)
	}
	fd, err := loss(d)
	if err != nil {
		return 0, fmt.Errorf("association of diploma and income: %w", err)
	}
	for b-a > 1e-3 {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			if fc, err = loss(c); err != nil {
				return 0, err
			}
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			if fd, err = loss(d); err != nil {
				return 0, err
			}
		}
	}
	n.DiplomaIncome = math.Round((a+b)/2*1000) / 1000
	return loss(n.DiplomaIncome)
}

// nationalFit fits margins on two strata holding the national seed: the
// mainland and the overseas départements in their proportions.
func nationalFit(n *National, margins []Margin, byID map[string]Margin, overseas float64) (*Fit, error) {
	seed := n.Seed()
	st := []*Stratum{{Region: "metropole", N: make([]float64, NCells)}, {Region: "outre_mer", DOM: true, N: make([]float64, NCells)}}
	for k, v := range seed {
		st[0].N[k], st[1].N[k] = (1-overseas)*v, overseas*v
	}
	return FitMargins(st, margins, byID, Central, "")
}

// OddsRatio is the model's odds ratio between two levels of a factor at
// equal other characteristics: the same for every other cell, as the
// model's effects add up on the logit scale.
func (f *Fit) OddsRatio(r AdjustedRatio) (float64, error) {
	levels := map[string][]string{"diplome": DiplomaLevels, "revenu": IncomeLevels, "menage": HouseholdLevels}[r.Dimension]
	num, den := slices.Index(levels, r.Num), slices.Index(levels, r.Den)
	if levels == nil || num < 0 || den < 0 {
		return 0, fmt.Errorf("odds ratio %s %s/%s: unknown levels", r.Dimension, r.Num, r.Den)
	}
	cell := func(l int) int {
		d, i, h := DiplomaBacToBac2, IncomeQ3Q4, HouseholdOther
		switch r.Dimension {
		case "diplome":
			d = l
		case "revenu":
			i = l
		case "menage":
			h = l
		}
		return CellIndex(4, d, i, h)
	}
	p := make([]float64, NCells)
	f.Rates(0, p)
	return math.Exp(logit(p[cell(num)]) - logit(p[cell(den)])), nil
}
