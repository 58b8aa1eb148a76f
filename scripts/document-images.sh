#!/usr/bin/env bash
# The README's page images of the issued documents (issue 20): seed_demo into a throw-away SQLite
# database, `manage.py sample_documents`, then the first page of each PDF at 45 dpi into docs/documents/.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DATABASE_URL="sqlite:///$work/demo.sqlite3" REDIS_URL=""
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py seed_demo >/dev/null
.venv/bin/python manage.py sample_documents --output "$work/pdf"
mkdir -p docs/documents
for pdf in "$work"/pdf/*.pdf; do
  name=$(basename "$pdf" .pdf)
  pdftoppm -r 45 -png -f 1 -l 1 -singlefile "$pdf" "docs/documents/$name"
done
ls docs/documents
