#!/bin/sh
# derive_codes_postaux.sh — rebuild codes_postaux_2026.csv (see SOURCES.md).
#
# Fetches @etalab/decoupage-administratif@6.0.0 from the npm registry, takes
# every "commune-actuelle" of data/communes.json with its codesPostaux, keeps
# only the communes that are current communes (TYPECOM COM) of
# cog_communes_2026.csv (this drops the collectivités d'outre-mer, 975–989),
# and writes one row per (code_postal, code_insee) pair, sorted by code_postal
# then code_insee, bytewise. The pairs it drops go to stderr.
#
# Needs sh, npm, node and tar. Run from anywhere:
#
#	geo/data/derive_codes_postaux.sh
set -eu

pkg=@etalab/decoupage-administratif@6.0.0
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "$pkg" >/dev/null && tar xzf ./*.tgz)

node - "$tmp/package/data/communes.json" "$here/cog_communes_2026.csv" >"$here/codes_postaux_2026.csv" <<'EOF'
const fs = require('fs');
const [communesFile, cogFile] = process.argv.slice(2);
// cog_communes_2026.csv has no quoted field: a plain split is exact.
const [header, ...lines] = fs.readFileSync(cogFile, 'utf8').trim().split('\n');
const col = header.split(',');
const typ = col.indexOf('TYPECOM'), com = col.indexOf('COM');
const current = new Set(lines.map(l => l.split(',')).filter(f => f[typ] === 'COM').map(f => f[com]));
const pairs = new Set();
for (const c of JSON.parse(fs.readFileSync(communesFile, 'utf8'))) {
  if (c.type !== 'commune-actuelle') continue;
  for (const cp of c.codesPostaux || []) {
    if (!current.has(c.code)) {
      console.error(`dropped ${cp},${c.code} (${c.nom}, ${c.departement}): not a COM of COG 2026`);
      continue;
    }
    pairs.add(`${cp},${c.code}`);
  }
}
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const rows = [...pairs].map(p => p.split(',')).sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]));
process.stdout.write('code_postal,code_insee\n' + rows.map(r => r.join(',') + '\n').join(''));
EOF
