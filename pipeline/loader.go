package pipeline

import (
	gosql "database/sql"
	"log/slog"

	"github.com/illectro/illectro/geo"
	"github.com/illectro/illectro/ingest"
)

// AssessmentMapping resolves the configured mapping: a built-in name or a
// file; nil lets ingest pick per file.
func AssessmentMapping(cfg Config) (*ingest.Mapping, error) {
	if cfg.AssessmentMapping == "" {
		return nil, nil
	}
	builtins, err := ingest.BuiltinMappings()
	if err != nil {
		return nil, err
	}
	if m, ok := builtins[cfg.AssessmentMapping]; ok {
		return m, nil
	}
	return ingest.LoadMapping(cfg.AssessmentMapping)
}

// VenueMapping resolves the configured venue mapping: a built-in name or a
// file; nil lets ingest pick per file.
func VenueMapping(cfg Config) (*ingest.VenueMapping, error) {
	if cfg.VenueMapping == "" {
		return nil, nil
	}
	builtins, err := ingest.BuiltinVenueMappings()
	if err != nil {
		return nil, err
	}
	if m, ok := builtins[cfg.VenueMapping]; ok {
		return m, nil
	}
	return ingest.LoadVenueMapping(cfg.VenueMapping)
}

// NewLoader wires a loader with the reference data; log receives its
// messages, and progress (nil for none) each file's advance.
func NewLoader(db *gosql.DB, ref *ingest.Reference, key []byte, m *ingest.Mapping, log *slog.Logger, progress func(file string, done, size, rows int64)) *ingest.Loader {
	codes := geo.NewCodes(ref.COG, ref.Movements)
	l := &ingest.Loader{
		DB:       db,
		Codes:    codes,
		Names:    ref.CommuneNameIndex(codes),
		Communes: ingest.NewCommuneFinder(ref.Centroids, codes),
		Index:    geo.NewIndex(ref.Departements),
		Postal:   ref.PostalCodes,

		Key:     key,
		Mapping: m,
		Log:     log,
	}
	l.Progress = progress
	return l
}
