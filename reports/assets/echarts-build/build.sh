#!/bin/sh
# Builds reports/assets/echarts.min.js, the ECharts of illectro's pages, from
# the npm packages pinned by package-lock.json: `npm ci` installs exactly
# them, then esbuild bundles index.js (only the modules the pages use) and
# minifies it. The same inputs give the same bytes: TestEChartsBundleReproducible
# in reports/ rebuilds it when ILLECTRO_ECHARTS_REBUILD=1 and compares.
#
# Usage: sh build.sh [OUT]   (OUT defaults to ../echarts.min.js)
# Needs node and npm, and the npm registry (or npm's cache).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../echarts.min.js}
cd "$here"
# --ignore-scripts: no package runs code at install; esbuild finds its
# binary in its platform package (@esbuild/linux-x64…) without its postinstall.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
./node_modules/.bin/esbuild index.js \
	--bundle \
	--minify \
	--format=iife \
	--global-name=echarts \
	--target=es5 \
	--charset=utf8 \
	--legal-comments=none \
	--define:process.env.NODE_ENV='"production"' \
	"--banner:js=$(cat banner.js)" \
	--log-level=warning \
	--outfile="$out"
