// Package diagnostics computes in Go what SQL does badly, between the views
// and the marts of the sql package: the distance from every commune to the
// nearest venue (a k-d tree) and the small-area model of illectronism,
// calibrated to every published Insee rate, with its uncertainty draws.
package diagnostics
