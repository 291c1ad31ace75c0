#!/bin/sh
# derive_epci_communes.sh — rebuild epci_communes_2026.csv and epci_2026.csv
# (see SOURCES.md).
#
# Fetches @etalab/decoupage-administratif@6.0.0 from the npm registry (as
# derive_codes_postaux.sh does), takes data/epci.json (the EPCI à fiscalité
# propre with their member communes), and writes one row per current commune
# (TYPECOM COM of cog_communes_2026.csv) with its EPCI: code_insee,
# code_epci (SIREN), sorted by code_insee. A commune in no EPCI
# (four islands: Bréhat, Ouessant, Île-de-Sein, L'Île-d'Yeu) gets an empty
# code_epci. A member that is not a current commune stops the script.
# epci_2026.csv lists the EPCI themselves: code_epci, nom, type (CC, CA,
# CU, METRO, MET69), population_municipale (DGCL), sorted by code_epci;
# names are quoted as CSV wants.
#
# Needs sh, npm, node and tar. Run from anywhere:
#
#	geo/data/derive_epci_communes.sh
set -eu

pkg=@etalab/decoupage-administratif@6.0.0
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "$pkg" >/dev/null && tar xzf ./*.tgz)

node - "$tmp/package/data/epci.json" "$here/cog_communes_2026.csv" "$here/epci_2026.csv" >"$here/epci_communes_2026.csv" <<'EOF'
const fs = require('fs');
const [epciFile, cogFile, listFile] = process.argv.slice(2);
// cog_communes_2026.csv has no quoted field: a plain split is exact.
const [header, ...lines] = fs.readFileSync(cogFile, 'utf8').trim().split('\n');
const col = header.split(',');
const typ = col.indexOf('TYPECOM'), com = col.indexOf('COM');
const current = lines.map(l => l.split(',')).filter(f => f[typ] === 'COM').map(f => f[com]);
const epciOf = new Map();
for (const e of JSON.parse(fs.readFileSync(epciFile, 'utf8'))) {
  for (const m of e.membres) {
    if (epciOf.has(m.code)) throw new Error(`commune ${m.code} in two EPCI`);
    epciOf.set(m.code, e);
  }
}
const known = new Set(current);
for (const code of epciOf.keys()) {
  if (!known.has(code)) throw new Error(`member ${code} is not a current commune`);
}
const out = ['code_insee,code_epci'];
for (const code of [...current].sort()) {
  const e = epciOf.get(code);
  out.push(`${code},${e ? e.code : ''}`);
}
process.stdout.write(out.join('\n') + '\n');
const quote = s => /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
const list = ['code_epci,nom,type,population_municipale'];
for (const e of JSON.parse(fs.readFileSync(epciFile, 'utf8')).sort((a, b) => a.code < b.code ? -1 : 1)) {
  list.push([e.code, quote(e.nom), e.type, e.populationMunicipale].join(','));
}
fs.writeFileSync(listFile, list.join('\n') + '\n');
EOF
