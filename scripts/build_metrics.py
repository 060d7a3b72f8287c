"""Build vn_congvan/data/tnr_metrics.json from Liberation Serif (metric-compatible with Times New Roman).

Run once after `apt-get install fonts-liberation2` and `pip install .[build]`:
    .venv/bin/python scripts/build_metrics.py [--fonts DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
OUT = Path(__file__).resolve().parent.parent / "vn_congvan" / "data" / "tnr_metrics.json"
FACES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",  # the date line (ô 4) is italic: its line breaks are measured
}

# Code point ranges kept: ASCII, Latin-1, Latin Extended-A, Ơ/ơ/Ư/ư, combining tone marks,
# Vietnamese precomposed letters, general punctuation and a few symbols used in official texts.
RANGES = [
    (0x0020, 0x007E),
    (0x00A0, 0x017F),
    (0x01A0, 0x01B0),
    (0x0300, 0x0323),
    (0x1EA0, 0x1EF9),
    (0x2010, 0x2044),
    (0x2116, 0x2116),
    (0x2122, 0x2122),
    (0x2190, 0x2193),
    (0x2212, 0x2212),
    (0x2264, 0x2265),
    (0x20AB, 0x20AC),
]


def widths(font_path: Path) -> tuple[int, dict[str, int]]:
    font = TTFont(str(font_path))
    upem = int(font["head"].unitsPerEm)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    out: dict[str, int] = {}
    for lo, hi in RANGES:
        for cp in range(lo, hi + 1):
            glyph = cmap.get(cp)
            if glyph is not None:
                out[chr(cp)] = int(hmtx[glyph][0])
    return upem, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fonts", type=Path, default=FONT_DIR)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data: dict[str, object] = {
        "source": "Liberation Serif 2 (metric-compatible with Times New Roman)",
    }
    upem = 0
    for face, filename in FACES.items():
        path = args.fonts / filename
        if not path.exists():
            print(f"missing font: {path}", file=sys.stderr)
            return 1
        upem, table = widths(path)
        data[face] = table
    data["units_per_em"] = upem
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: " + ", ".join(f"{len(data[f])} {f}" for f in FACES) + " widths")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
