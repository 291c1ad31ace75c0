// Package samples embeds the default inputs that `illectro run` loads when
// no inbox is configured, so that a new user gets a real report from one
// command. Provenance and licences are in SOURCES.md beside this file.
package samples

import "embed"

// FS holds the sample files.
//
//go:embed *.csv
var FS embed.FS

// File is one bundled sample and the input kind it belongs to.
type File struct {
	Kind string // an ingest kind: coverage, venues, mediators, socio, assessments
	Name string // file name within FS
}

// Files are the bundled samples, in loading order (ingest.Kinds order).
var Files = []File{
	{Kind: "coverage", Name: "arcep_commune_debit_2019T3_beta.csv"},
	{Kind: "venues", Name: "france_services_2023.csv"},
	{Kind: "venues", Name: "lieux_mediation_numerique_hauts-de-france_2023_v1.0.2.csv"},
	{Kind: "mediators", Name: "cnum_structures_2023-07-25.csv"},
	{Kind: "socio", Name: "dataforgood_ifn_indicateurs_communes_2017.csv"},
	{Kind: "assessments", Name: SyntheticAssessments},
}

// SyntheticAssessments is the bundled assessments file: synthetic, produced
// by `illectro gen assessments --rows SyntheticRows --seed SyntheticSeed`.
const SyntheticAssessments = "assessments_synthetic.csv"

// The parameters that reproduce SyntheticAssessments byte for byte.
const (
	SyntheticRows = 20000
	SyntheticSeed = 2026
)

// SyntheticKey is the throwaway HMAC key used to pseudonymise the synthetic
// sample when no key is configured. It is public, so it protects nothing: it
// must never be used for real respondents, and illectro says so when it does.
const SyntheticKey = "illectro-synthetic-sample-key-NOT-A-SECRET"
