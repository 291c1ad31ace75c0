package pipeline

import (
	"context"
	"crypto/sha256"
	gosql "database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	isql "github.com/illectro/illectro/sql"
)

// buildFingerprint identifies everything a run's outputs (marts, site,
// snapshot) are computed from: the program itself (its executable embeds the
// SQL, the templates, the assets and the reference data), the parameters of
// the configuration, and the ledger of input files (append-only, so its
// highest id and size change with every file attempt, loaded or refused).
// Two runs with the same fingerprint publish the same files.
func buildFingerprint(ctx context.Context, db *gosql.DB, cfg Config) (string, error) {
	program, err := executableDigest()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write(program)
	// JSON writes maps in key order and follows pointers: the same
	// parameters give the same text.
	params, err := json.Marshal(cfg.Params())
	if err != nil {
		return "", fmt.Errorf("fingerprint: %w", err)
	}
	fmt.Fprintf(h, "\x00params %s\x00", params)
	// A margins file is read at every run: its content, not its name.
	if cfg.IllectronismMargins != "" {
		b, err := os.ReadFile(cfg.IllectronismMargins)
		if err != nil {
			return "", fmt.Errorf("fingerprint: %w", err)
		}
		fmt.Fprintf(h, "margins %x\x00", sha256.Sum256(b))
	}
	var maxID, files int64
	if err := db.QueryRowContext(ctx, isql.IngestFilesState).Scan(&maxID, &files); err != nil {
		return "", fmt.Errorf("fingerprint: ingest ledger: %w", err)
	}
	fmt.Fprintf(h, "ledger %d %d", maxID, files)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// executableDigest is the sha256 of this program's executable, read once
// per process: the scheduler runs many times from the same one.
var executableDigest = sync.OnceValues(func() ([]byte, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("fingerprint: %w", err)
	}
	f, err := os.Open(exe)
	if err != nil {
		return nil, fmt.Errorf("fingerprint: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, fmt.Errorf("fingerprint: read %s: %w", exe, err)
	}
	return h.Sum(nil), nil
})

// unchangedSince tells whether the outputs of the latest successful run
// are still live and were built from the same fingerprint: then a run has
// nothing to rebuild. It returns that run and its release.
func unchangedSince(ctx context.Context, db *gosql.DB, cfg Config, fingerprint string) (run int64, release string, ok bool, err error) {
	var fp string
	err = db.QueryRowContext(ctx, isql.RunsLastBuild).Scan(&run, &fp, &release)
	if errors.Is(err, gosql.ErrNoRows) {
		return 0, "", false, nil
	}
	if err != nil {
		return 0, "", false, fmt.Errorf("run ledger: %w", err)
	}
	if fp != fingerprint || release == "" || LiveRelease(cfg.Out) != release {
		return 0, "", false, nil
	}
	// The live site and the analysts' snapshot must still be there: someone
	// may have removed them by hand.
	for _, p := range []string{
		filepath.Join(cfg.Out, "index.html"),
		filepath.Join(cfg.SnapshotRoot(), SnapshotName, isql.SnapshotFile),
	} {
		if _, err := os.Stat(p); err != nil {
			return 0, "", false, nil
		}
	}
	return run, release, true, nil
}
