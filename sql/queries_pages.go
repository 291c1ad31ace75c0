package sql

// Named queries of the methodology and data-quality pages, read from
// queries/pages_*.sql.
var (
	// PagesParametersQuery selects the scalar parameters of the last build.
	PagesParametersQuery = mustRead("queries/pages_parameters.sql")
	// PagesParametersPerturbationQuery selects the perturbation table.
	PagesParametersPerturbationQuery = mustRead("queries/pages_parameters_perturbation.sql")
	// PagesParametersWeightsQuery selects the fragility weights, one row per
	// indicator.
	PagesParametersWeightsQuery = mustRead("queries/pages_parameters_weights.sql")
	// PagesParametersMarginsQuery selects every published illectronism rate
	// with the model's value.
	PagesParametersMarginsQuery = mustRead("queries/pages_parameters_margins.sql")
	// PagesParametersRatiosQuery selects the published adjusted odds ratios
	// with the model's.
	PagesParametersRatiosQuery = mustRead("queries/pages_parameters_ratios.sql")
	// PagesParametersFragilityQuery selects the coverage of the fragility
	// indicators.
	PagesParametersFragilityQuery = mustRead("queries/pages_parameters_fragility.sql")
	// PagesParametersTerritoriesQuery selects the model's estimates for
	// France, the overseas départements and the régions.
	PagesParametersTerritoriesQuery = mustRead("queries/pages_parameters_territories.sql")
	// PagesParametersLocalQuery selects the comparison with published local
	// estimates: a summary per level with its five largest gaps.
	PagesParametersLocalQuery = mustRead("queries/pages_parameters_local.sql")
	// QualityFilesQuery selects every file attempt, newest first.
	QualityFilesQuery = mustRead("queries/pages_quality_files.sql")
	// QualityRejectsQuery counts rejected rows per file, column and kind
	// (never the rejected values).
	QualityRejectsQuery = mustRead("queries/pages_quality_rejects.sql")
	// QualityFindingsQuery counts quality findings per file, kind and
	// département.
	QualityFindingsQuery = mustRead("queries/pages_quality_findings.sql")
)

// Named queries of the data-quality page's freshness and run sections.
var (
	// QualityFreshnessQuery selects the newest loaded file of each kind.
	QualityFreshnessQuery = mustRead("queries/pages_quality_freshness.sql")
	// QualityRunsQuery selects the latest finished runs.
	QualityRunsQuery = mustRead("queries/pages_quality_runs.sql")
)
