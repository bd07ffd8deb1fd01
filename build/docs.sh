#!/usr/bin/env bash
# Builds the API reference and articles with docfx (a local .NET tool, .config/dotnet-tools.json, restored here
# idempotently) from the XML documentation of MLNet.Pruning and MLNet.Pruning.TorchSharp, with the README, the samples
# and RESULTS.md as articles, into build/docs/obj/site (git-ignored). Fails on any broken cross-reference: a cref or
# <xref:...> that names no API, or an @uid that does not resolve (docfx's xref warnings are errors here); links from
# the README to repository files outside the site (samples, build scripts) are reported, not fatal.
#
#   bash build/docs.sh            then open build/docs/obj/site/index.html, or `dotnet docfx serve build/docs/obj/site`
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
log=build/docs/obj/docfx-log.json
mkdir -p build/docs/obj
rm -f "$log"
status=0
dotnet docfx build/docs/docfx.json --log "$log" --logLevel warning >build/docs/obj/docfx.out 2>&1 || status=$?
python3 - "$log" <<'PY'
import json, sys
xref_codes = {"InvalidCref", "InvalidXref", "UidNotFound", "XrefNotFound", "InvalidInternalXref", "UnresolvedXref"}
broken, other = [], []
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    entry = json.loads(line)
    level = (entry.get("severity") or entry.get("message_severity") or "").lower()
    if level not in ("warning", "error"):
        continue
    code = entry.get("code") or ""
    text = f"{level} {code} {entry.get('file', '')}: {entry.get('message', '')}"
    (broken if code in xref_codes or level == "error" or "xref" in code.lower() else other).append(text)
for text in other:
    print("docs: note:", text)
for text in broken:
    print("docs: BROKEN:", text)
print(f"docs: {len(broken)} broken cross-references or errors, {len(other)} other warnings")
sys.exit(1 if broken else 0)
PY
[ "$status" -eq 0 ] || { cat build/docs/obj/docfx.out; exit "$status"; }
echo "docs: built build/docs/obj/site ($(find build/docs/obj/site/api -name '*.html' | wc -l) API pages)"
