#!/usr/bin/env bash
# Install the Debian packages the atlas and its tests need, only where they are missing.
#   gdal-bin: ogrinfo, used by the tests to validate exported files with GDAL itself
#   chromium: the real browser the app's tests drive with Playwright (never a downloaded one)
#   nodejs/npm: installs Leaflet and topojson-client from the npm registry
#   poppler-utils: pdftoppm, used by the tests to check that the PDF figures render
#   g++: compiles the overlay's coverage kernel (atlas/analysis/_coverage.pyx) at set-up
#   postgresql-15-postgis-3: the PostgreSQL/PostGIS server the store's tests start as a throwaway
#     cluster of their own (the atlas itself needs no server unless ATLAS_DATABASE_URL is set)
set -euo pipefail
missing=()
command -v ogrinfo >/dev/null 2>&1 || missing+=(gdal-bin)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || missing+=(postgresql-15-postgis-3)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
