package reports

// TypographyProblems lets the external tests check rendered pages.
var TypographyProblems = typographyProblems

// Typeset is the French typography the pages get, for expected texts.
func Typeset(s string) string { return string(frenchTypography([]byte(s))) }

// DecodeShapes decodes a map script's shapes as ECharts does, and
// SourceShapes reads a GeoJSON's, for comparison.
var (
	DecodeShapes = decodeCompressed
	SourceShapes = sourceShapes
)

// DepIsland decodes a département page's data island as departement.js
// reads it.
type DepIsland = depIsland
