#!/usr/bin/env bash
# Fills fuzz/corpus/inventory/ with the project's own inventories (copied, not kept in
# git) and writes fuzz/inventory.dict (keys and enum values of the schema, JSON tokens,
# the target's file separator). Safe to run again: it only adds files.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
corpus="$here/corpus/inventory"
mkdir -p "$corpus"

n=0
for f in "$root"/samples/*.json "$root"/tests/fixtures/bad/*.json "$root"/rules/example-base.json; do
    [ -e "$f" ] || continue
    cp "$f" "$corpus/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
    n=$((n + 1))
done

# Two samples joined by the target's separator, so that the cross-file rules start with
# something to compare. (The separator has NUL bytes, which a shell variable cannot hold:
# printf writes it.)
a="$root/samples/F0005-asahi-hospital.json"
b="$root/samples/F0006-minami-dental.json"
if [ -e "$a" ] && [ -e "$b" ]; then
    { cat "$a"; printf '\n\0--8<--\0\n'; cat "$b"; } > "$corpus/seed-cross-F0005-F0006.json"
    n=$((n + 1))
fi
c="$root/samples/F0007-hibari-home-clinic.json"
if [ -e "$c" ]; then
    # The same file twice: every id and email collides.
    { cat "$c"; printf '\n\0--8<--\0\n'; cat "$c"; } > "$corpus/seed-cross-F0007-twice.json"
    n=$((n + 1))
fi
echo "seed.sh: $n seed files in $corpus"

python3 - "$root" "$here/inventory.dict" <<'PY'
import glob, json, sys
root, out = sys.argv[1], sys.argv[2]
keys, values = set(), set()

def walk(v, in_enum=False):
    if isinstance(v, dict):
        for k, x in v.items():
            keys.add(k)
            if k in ("enum", "const"):
                for e in (x if isinstance(x, list) else [x]):
                    if isinstance(e, str):
                        values.add(e)
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)

for path in [f"{root}/schemas/inventory.schema.json", f"{root}/rules/example-base.json",
             *glob.glob(f"{root}/samples/*.json")]:
    try:
        walk(json.load(open(path, encoding="utf-8")))
    except (OSError, ValueError):
        pass
# Schema keywords are not inventory keys.
keys -= {"$id", "$defs", "$ref", "type", "properties", "required", "items", "enum",
         "additionalProperties", "description", "title", "pattern", "format", "minimum",
         "maximum", "minLength", "maxLength", "oneOf", "anyOf", "allOf", "const",
         "minItems", "maxItems", "uniqueItems", "default", "examples", "if", "then", "else",
         "not", "patternProperties", "propertyNames", "exclusiveMinimum", "exclusiveMaximum"}

def lit(s):
    return '"' + "".join(c if 0x20 <= ord(c) < 0x7f and c not in '"\\' else
                         "".join(f"\\x{b:02x}" for b in c.encode()) for c in s) + '"'

lines = [f"sep={lit(chr(10) + chr(0) + '--8<--' + chr(0) + chr(10))}"]
for t in ['{', '}', '[', ']', ':', ',', 'null', 'true', 'false', '-0', '1e999', '0.5',
          '"\\u0000"', '"\\ud800"', '\ufeff', '\r\n', '"2026-11-26"', '"2000-01-01"',
          '"9999-12-31"', '"********"']:
    lines.append(lit(t))
for k in sorted(keys):
    lines.append(lit(f'"{k}":'))
for v in sorted(values):
    lines.append(lit(f'"{v}"'))
open(out, "w", encoding="ascii").write("\n".join(lines) + "\n")
print(f"seed.sh: {len(lines)} dictionary entries in {out}")
PY
