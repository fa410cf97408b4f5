#!/usr/bin/env bash
# Regenerate the sample SBOMs in samples/sbom/ from the demo application's real environment.
# Needs only Python 3 and the package index. Output differs from the committed files only in
# timestamps, serial numbers and (for sbom4python) the Python patch version it records.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/app"                       # the environment the SBOMs describe
"$work/app/bin/pip" install -q --only-binary=:all: -r "$here/app/requirements.txt"
python3 -m venv "$work/tools"                     # the generators, kept apart from it
"$work/tools/bin/pip" install -q cyclonedx-bom==7.5.0 sbom4python==0.12.6

cdx="$work/tools/bin/cyclonedx-py"
app_python="$work/app/bin/python"
cd "$here"
"$cdx" environment --pyproject app/pyproject.toml --sv 1.6 -o sbom/linkcheck.env.cdx-1.6.json "$app_python"
"$cdx" environment --pyproject app/pyproject.toml --sv 1.7 -o sbom/linkcheck.env.cdx-1.7.json "$app_python"
"$cdx" environment --pyproject app/pyproject.toml --sv 1.5 --of XML -o sbom/linkcheck.env.cdx-1.5.xml "$app_python"
"$cdx" requirements --pyproject app/pyproject.toml --sv 1.4 -o sbom/linkcheck.requirements.cdx-1.4.json app/requirements.txt
"$work/tools/bin/sbom4python" --use-pip --python "$app_python" -m flask --sbom cyclonedx --format json -o sbom/flask.sbom4python.cdx.json
