package diagnostics

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestDefaultMarginsArePublished pins the built-in margins to the figures
// Insee published (diagnostics/data/SOURCES.md gives each source): an edit
// of the file that changes a published figure fails here, not silently in
// the estimates.
func TestDefaultMarginsArePublished(t *testing.T) {
	ms, err := DefaultMargins()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Margin{}
	for _, m := range ms {
		got[m.ID] = m
	}
	for id, pct := range map[string]float64{
		"2021-ensemble":    15.4, // Insee Première n° 1953
		"2021-age-15-24":   2.4,
		"2021-age-60-74":   24.2,
		"2021-age-75+":     61.9,
		"2021-age-60+":     33.3, // « plus d'une personne de 60 ans ou plus sur trois »
		"2021-dom":         20,
		"2021-metropole":   15,
		"2021-menage-seul": 30,
		"2019-metropole":   16, // Insee Analyses n° 85
		"2019-age-75+":     67,
		"2019-region-11":   12,
		"2019-region-32":   17,
		"2019-region-94":   25,
	} {
		m, ok := got[id]
		if !ok {
			t.Errorf("margin %s missing from the built-in file", id)
			continue
		}
		if math.Abs(m.Rate*100-pct) > 1e-9 {
			t.Errorf("margin %s = %v %%, published %v %%", id, m.Rate*100, pct)
		}
	}
	if m := got["2021-ensemble"]; m.Use != UseCalibration || m.Field != "france_hors_mayotte" || m.Tolerance != 0.0005 {
		t.Errorf("national margin = %+v, want a calibration on France outside Mayotte to ±0.05 point", m)
	}
	if m := got["2021-age-60+"]; m.Use != UseCheckAtLeast {
		t.Errorf("« more than one in three » is a floor, got usage %s", m.Use)
	}
}

const marginsHeader = "id,annee,champ,dimension,modalite,libelle,taux_pct,tolerance_pt,erreur_type_pt,usage,reference,source,url,statut\n"

const nationalRow = "n,2021,france_hors_mayotte,ensemble,ensemble,Ensemble,15.4,0.05,0.36,calage,,s,u,v\n"

// TestParseMarginsErrors: each bad field is named with its file, line and
// column.
func TestParseMarginsErrors(t *testing.T) {
	for _, tt := range []struct {
		name, rows string
		line       int
		column     string
	}{
		{"empty id", ",2021,france_hors_mayotte,ensemble,ensemble,x,15,0.5,0.3,calage,,s,u,v\n", 2, "id"},
		{"duplicate id", nationalRow + "n,2021,metropole,ensemble,ensemble,x,15,0.5,0.3,controle,,s,u,v\n", 3, "id"},
		{"year", "n,deux,france_hors_mayotte,ensemble,ensemble,x,15,0.5,0.3,calage,,s,u,v\n", 2, "annee"},
		{"use", "n,2021,france_hors_mayotte,ensemble,ensemble,x,15,0.5,0.3,calibration,,s,u,v\n", 2, "usage"},
		{"rate 0", "n,2021,france_hors_mayotte,ensemble,ensemble,x,0,0.5,0.3,calage,,s,u,v\n", 2, "taux_pct"},
		{"rate 100", "n,2021,france_hors_mayotte,ensemble,ensemble,x,100,0.5,0.3,calage,,s,u,v\n", 2, "taux_pct"},
		{"rate text", "n,2021,france_hors_mayotte,ensemble,ensemble,x,quinze,0.5,0.3,calage,,s,u,v\n", 2, "taux_pct"},
		{"negative tolerance", "n,2021,france_hors_mayotte,ensemble,ensemble,x,15,-1,0.3,calage,,s,u,v\n", 2, "tolerance_pt"},
		{"standard error", "n,2021,france_hors_mayotte,ensemble,ensemble,x,15,0.5,,calage,,s,u,v\n", 2, "erreur_type_pt"},
		{"field", nationalRow + "a,2021,europe,ensemble,ensemble,x,15,0.5,0.3,controle,,s,u,v\n", 3, "champ"},
		{"age band", nationalRow + "a,2021,france_hors_mayotte,age,20-30,x,15,0.5,0.3,controle,,s,u,v\n", 3, "modalite"},
		{"dimension", nationalRow + "a,2021,france_hors_mayotte,pcs,cadres,x,2,0.5,0.3,controle,,s,u,v\n", 3, "modalite"},
		{"reference missing", nationalRow + "r,2019,region:32,ensemble,ensemble,x,17,0.5,1,benchmark,,s,u,v\n", 3, "reference"},
		{"reference unknown", nationalRow + "r,2019,region:32,ensemble,ensemble,x,17,0.5,1,benchmark,zz,s,u,v\n", 3, "reference"},
		{"reference not a reference", nationalRow + "r,2019,region:32,ensemble,ensemble,x,17,0.5,1,benchmark,n,s,u,v\n", 3, "reference"},
		{"département calibrated", nationalRow + "d,2019,departement:58,ensemble,ensemble,x,24,1,1,calage,,s,u,v\n", 3, "champ"},
		{"missing column", "", 1, "id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := marginsHeader + tt.rows
			if tt.name == "missing column" {
				in = strings.Replace(marginsHeader, "id,", "ident,", 1) + nationalRow
			}
			_, err := ParseMargins("m.csv", strings.NewReader(in))
			var me *MarginError
			if !errors.As(err, &me) || me.File != "m.csv" || me.Line != tt.line || me.Column != tt.column {
				t.Errorf("ParseMargins = %v, want an error on m.csv line %d, column %s", err, tt.line, tt.column)
			}
		})
	}
	// The file as a whole: something to calibrate on, the national rate first.
	for _, in := range []string{
		"a,2021,metropole,ensemble,ensemble,x,15,0.5,0.3,controle,,s,u,v\n",
		"a,2021,france_hors_mayotte,age,75+,x,61.9,0.05,1,calage,,s,u,v\n" + nationalRow,
	} {
		if _, err := ParseMargins("m.csv", strings.NewReader(marginsHeader+in)); err == nil || !strings.Contains(err.Error(), "m.csv") {
			t.Errorf("ParseMargins(%q) = %v, want a refusal naming the file", in, err)
		}
	}
	// A decimal comma and a byte-order mark are read.
	ms, err := ParseMargins("m.csv", strings.NewReader("\ufeff"+marginsHeader+
		`n,2021,france_hors_mayotte,ensemble,ensemble,Ensemble,"15,4",0.05,0.36,calage,,s,u,v`+"\n"))
	if err != nil || len(ms) != 1 || math.Abs(ms[0].Rate-0.154) > 1e-12 {
		t.Errorf("ParseMargins with a decimal comma = %v, %v; want 0.154", ms, err)
	}
}

// FuzzParseMargins: any input either parses into margins that satisfy the
// parser's promises or is refused with an error; it never panics.
func FuzzParseMargins(f *testing.F) {
	b, err := data.ReadFile("data/" + MarginsFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add(marginsHeader + nationalRow)
	f.Add(marginsHeader + nationalRow + "r,2019,region:32,ensemble,ensemble,x,17,0.5,1,benchmark,n,s,u,v\n")
	f.Add(marginsHeader + "n,2021,france_hors_mayotte,age,75+,x,61.9,0.05,1,calage,,s,u,v\n")
	f.Fuzz(func(t *testing.T, in string) {
		ms, err := ParseMargins("fuzz.csv", strings.NewReader(in))
		if err != nil {
			if ms != nil {
				t.Errorf("margins returned with an error: %v", err)
			}
			return
		}
		ids := map[string]bool{}
		for _, m := range ms {
			if m.ID == "" || ids[m.ID] {
				t.Errorf("empty or duplicate id %q", m.ID)
			}
			ids[m.ID] = true
			if !(m.Rate > 0 && m.Rate < 1) || m.Tolerance < 0 || m.StdErr < 0 || math.IsNaN(m.Tolerance) || math.IsNaN(m.StdErr) {
				t.Errorf("margin %s: rate %v, tolerance %v, standard error %v", m.ID, m.Rate, m.Tolerance, m.StdErr)
			}
		}
		for _, m := range ms {
			if m.Ref != "" && !ids[m.Ref] {
				t.Errorf("margin %s refers to %s, not in the file", m.ID, m.Ref)
			}
		}
		if first := constraints(ms, Central, ""); len(first) == 0 || first[0].Field != "france_hors_mayotte" {
			t.Errorf("parsed margins do not start with the national rate")
		}
	})
}

// TestParseNationalErrors: the national structure file is checked row by
// row, and as a whole.
func TestParseNationalErrors(t *testing.T) {
	b, err := data.ReadFile("data/structure_nationale.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	find := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return i
			}
		}
		t.Fatalf("no line %q in the built-in file", prefix)
		return 0
	}
	replace := func(i int, l string) string {
		out := append([]string{}, lines...)
		out[i] = l
		return strings.Join(out, "")
	}
	age75 := find("age,75+,population,")
	for _, tt := range []struct {
		name, in, want string
	}{
		{"negative", replace(age75, "age,75+,population,-1,s,u,n\n"), "line " + strconv.Itoa(age75+1) + ", column valeur"},
		{"text", replace(age75, "age,75+,population,beaucoup,s,u,n\n"), "column valeur"},
		{"unknown table", replace(age75, "ages,75+,population,1,s,u,n\n"), "column tableau"},
		{"age band", replace(age75, "age,70+,population,1,s,u,n\n"), "column age"},
		{"missing group", replace(age75, ""), "no population for the age group 75+"},
		{"share above 1", replace(find("seul_total,"), "seul_total,15+,part,1.5,s,u,n\n"), "want a share in [0, 1]"},
		{"income level", replace(find("revenu,"), "revenu,15+,q9,0.4,s,u,n\n"), "column modalite"},
		{"mayotte", replace(find("mayotte,"), ""), "for Mayotte"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseNational("structure.csv", strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), "structure.csv") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseNational = %v, want an error on structure.csv with %q", err, tt.want)
			}
		})
	}
}

// TestDefaultLocalEstimates pins the built-in published local estimates:
// Insee's 93 intercommunal estimates of Hauts-de-France (2019).
func TestDefaultLocalEstimates(t *testing.T) {
	es, err := DefaultLocalEstimates()
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 93 {
		t.Fatalf("%d estimates, want 93", len(es))
	}
	byCode := map[string]LocalEstimate{}
	for _, e := range es {
		byCode[e.Code] = e
		if e.Level != "epci" || e.Region != "32" || e.Year != 2019 || e.Ref != "2019-metropole" {
			t.Errorf("estimate %+v: want an EPCI of région 32 in 2019 against 2019-metropole", e)
		}
	}
	// The Métropole européenne de Lille, the lowest; the Thiérache the highest.
	if e := byCode["200093201"]; e.Rate != 0.134 || e.Label != "Métropole Européenne de Lille" {
		t.Errorf("MEL = %+v, want 13.4 %%", e)
	}
	for _, tt := range []struct{ name, row, col string }{
		{"level", "commune,200093201,MEL,32,2019,13.4,1,2019-metropole,s,u\n", "niveau"},
		{"siren", "epci,2000932,MEL,32,2019,13.4,1,2019-metropole,s,u\n", "code"},
		{"region", "epci,200093201,MEL,Hauts,2019,13.4,1,2019-metropole,s,u\n", "region"},
		{"rate", "epci,200093201,MEL,32,2019,134,1,2019-metropole,s,u\n", "taux_pct"},
		{"people", "epci,200093201,MEL,32,2019,13.4,-1,2019-metropole,s,u\n", "personnes"},
		{"reference", "epci,200093201,MEL,32,2019,13.4,1,,s,u\n", "reference"},
	} {
		_, err := ParseLocalEstimates("l.csv", strings.NewReader("niveau,code,libelle,region,annee,taux_pct,personnes,reference,source,url\n"+tt.row))
		var me *MarginError
		if !errors.As(err, &me) || me.Line != 2 || me.Column != tt.col {
			t.Errorf("%s: %v, want an error on l.csv line 2, column %s", tt.name, err, tt.col)
		}
	}
}
