// Package geo holds the French territories illectro measures: the 101
// départements with their shapes, the communes of the Code officiel
// géographique (COG) 2026 with their populations and centroids, and the tools
// built on them: a point-in-polygon [Index] that places coordinates in a
// département, [Codes] that turns any commune code ever published by INSEE
// into a current COG 2026 code, [PostalCodes] that turns a postal code into
// its commune (or département), [Nearest] that finds the closest of a set of
// points by great-circle distance ([DistanceKm]), [Neighbours] that says which
// départements border each other, and [MapGeoJSON] that draws the départements
// for a choropleth map.
//
// The reference data are embedded in the binary (see data/SOURCES.md for their
// origin and licences); every loader parses them afresh, so call each loader
// once and keep the result. Coordinates are WGS84 decimal degrees, longitude
// then latitude, as in [orb.Point]. Commune and département codes are always
// strings: "01001" never becomes 1001, and Corsica is "2A" and "2B".
//
// The package is pure: no database, no logging, no environment, no I/O beyond
// its embedded files.
package geo
