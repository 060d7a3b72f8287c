"""Tesseract OCR of a page image, read in the order of the page's layout.

Tesseract reads a page line by line across its width, so the two columns of an ND30 header (issuer, Số,
V/v | Quốc hiệu, Tiêu ngữ, date) and of the signature block (Nơi nhận | signer) came out interleaved. Here
the words' boxes (`tesseract … tsv`) are grouped into lines, and where a run of lines leaves a vertical
gutter free — the header at the top of the first page, the block holding "Nơi nhận", the signature grid
below the last running line of the last page — each column is read again on its own and the left column
comes out before the right one, as a Word header table is read (cell by cell). Such lines carry
`where = "cols{n}.c{1|2}"` (block n, column 1 or 2).

Coloured ink — a red seal over the signer's title, a blue handwritten day or signature — is whitened
before OCR (`ink_only`), and what OCR still makes of a handwritten number or day becomes the printed
form's blank (`blank_slots`), never a wrong guess ("ngàyÓẨ tháng 7" → "ngày tháng 7").
"""

from __future__ import annotations

import csv
import difflib
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from statistics import median

from .. import rules
from ..law.lines import DATE, SIGNER, SO, bare, fold
from .legacy import frequencies, logp
from .quality import is_syllable
from .spelling import correct, correct_pages, summary

OCR_LANG = "vie"
PSM = "3"  # automatic page segmentation; the columns are ordered here, not by Tesseract
PSM_COLUMN = "4"  # one column of lines of varied sizes: a header's or a signature block's column
GAP = 3  # words further apart than this many line heights on one line are two pieces (a table's cells)
MARGIN = 0.5  # a gutter must clear every word of a line by this many line heights
COLOUR = 3  # how much lighter a pixel gets per step of colourfulness (max - min channel)…
COLOUR_LIGHT = 1  # …or, for a signer's line read alone, less: a seal's red over print whitens it less
GREY_CAST = 45  # …beyond the cast a scanner gives black print (Adobe Scan's bluish black: up to ~40)
FIXED_SIMILAR = 0.85  # a header line this close (letters only, no marks) to the Quốc hiệu or Tiêu ngữ is it


def _noi_nhan(text: str) -> bool:
    """'Nơi nhận' as OCR reads it: marks lost or wrong, the space dropped ("Nơinhận")."""
    return bare(text).replace(" ", "").startswith("noinhan")


@dataclass
class Word:
    text: str
    x0: int
    y0: int
    x1: int
    y1: int
    conf: float = 0.0  # Tesseract's confidence in the word, 0–100


@dataclass
class OcrLine:
    """A Tesseract line: its words left to right, its box and median word height."""

    words: list[Word]
    page_width: int = 0
    x0: int = field(init=False)
    y0: int = field(init=False)
    x1: int = field(init=False)
    y1: int = field(init=False)
    height: float = field(init=False)
    solid: list[Word] = field(init=False)

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w.x0)
        self.x0 = min(w.x0 for w in self.words)
        self.x1 = max(w.x1 for w in self.words)
        self.y0 = min(w.y0 for w in self.words)
        self.y1 = max(w.y1 for w in self.words)
        self.height = median(w.y1 - w.y0 for w in self.words)
        # the words that are print: two letters or digits, or one ("6", "a") close to a neighbour
        near = [
            any(abs(v.x0 - w.x1) < self.height or abs(w.x0 - v.x1) < self.height for v in self.words if v is not w)
            for w in self.words
        ]
        self.solid = [w for w, n in zip(self.words, near, strict=True) if _solid(w.text) or (n and _solid(w.text, 1))]

    def clears(self, x: float) -> bool:
        """No word of the line comes within MARGIN line heights of the vertical x (specks of a seal or a
        signature left after the colour is gone — "—_", "Ế" — do not count)."""
        m = MARGIN * self.height
        return not any(w.x0 - m < x < w.x1 + m for w in self.solid)

    def centred(self) -> bool:
        """A short line in the middle of the page (a tên loại, "QUYẾT ĐỊNH"): not part of a column."""
        w = self.page_width
        return bool(w) and self.x0 > 0.3 * w and self.x1 < 0.7 * w and abs(self.x0 + self.x1 - w) < 0.08 * w

    def side(self, x: float) -> tuple[list[Word], list[Word]]:
        return [w for w in self.words if w.x1 <= x], [w for w in self.words if w.x0 >= x]


def fixed_line(text: str) -> str:
    """The Quốc hiệu or the Tiêu ngữ as the law writes it, for a header line that reads as one of them with
    a few letters lost under a seal or a signature stamp ("CỘNG HOÀXÃ 'HỦ NGHĨA VIỆT NAM"); other text as is.
    Their words are fixed by the law, so nothing is guessed."""
    law = rules.nd30()
    got = re.sub(r"[\W_]", "", bare(text))
    letters = [c for c in text if c.isalpha()]
    caps = bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    for want in (law["quoc_hieu"], law["tieu_ngu"]):
        key = re.sub(r"[\W_]", "", bare(want))
        if want.isupper() and not caps:
            continue
        if fold(text) != fold(want) and difflib.SequenceMatcher(None, got, key).ratio() >= FIXED_SIMILAR:
            return want  # also "CỌNG HÒA XÃ HỌI CHÚ NGHĨA": the same letters, marks misread
    return text


_SPECK = "~_`|\\^«»°"  # what a seal's or a signature's leftover dots read as, never print of the page
_EDGE = re.compile(rf"^[{re.escape(_SPECK)}\s]+|[{re.escape(_SPECK)}\s]+$")
_KEEP = re.compile(r"[-–\s]*\d+[-–\s]*|\(?\w{1,3}[.)]")  # a page number, a lone "a)" or "1."
_LEAD = re.compile(r"^[-–—_~\s]*[_~][-–—_~\s]*")  # "-_— BỘ CÔNG AN": dashes mixed with specks


def tidy(text: str) -> str:
    """An OCR line without the specks at its ends ("~- Như trên;" → "- Như trên;", "(để p/h);_"), with
    the known misreadings corrected (`correct`) and the handwritten slots blanked (`blank_slots`)."""
    text = text.replace("⁄", "/")  # "1105⁄KH-ĐKT": OCR's fraction slash
    if m := _LEAD.match(text):
        run = m.group(0)
        text = ("- " if run.rstrip().endswith("-") and sum(run.count(c) for c in "-–—") == 1 else "") + text[m.end() :]
    return blank_slots(split_caps(correct(_EDGE.sub("", text))))


_GLYPH = str.maketrans("805", "BOS")  # digits OCR reads for the capitals they look like, in a run of capitals
MAX_SYLLABLE = 7  # letters of the longest Vietnamese syllable ("NGHIÊNG")


def split_caps(text: str) -> str:
    """A line of capitals whose spaces OCR lost, split into Vietnamese syllables (data/syllables.csv, the
    likeliest split): "BỘCÔNGAN" → "BỘ CÔNG AN"; a signer's prefix stuck to its title comes apart too, a
    capital misread as a digit put back ("TL8ỘTRƯỞNG" → "TL. BỘ TRƯỞNG"). A word is split only when every
    piece is a syllable and the word has a Vietnamese letter, so acronyms (UBND, BGDĐT-GDPT, ASEAN) and numbers
    stay as they are."""
    text = unicodedata.normalize("NFC", text)
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return text
    out = []
    for k, word in enumerate(text.split(" ")):
        if word.isascii() or not word.isupper() or is_syllable(word):  # "ASEAN" is no "A SE AN"
            out.append(word)
            continue
        pieces = _syllables(word.translate(_GLYPH))
        if pieces and len(pieces) > 1:
            word = " ".join(pieces)
        elif k == 0 and not pieces:  # "TL8ỘTRƯỞNG": the prefix's dot and space lost
            for p in (p.rstrip(".") for p in SIGNER.prefixes):
                rest = word.removeprefix(p).removeprefix(".").translate(_GLYPH)
                if word.startswith(p) and rest.isupper() and (split := _syllables(rest)):
                    word = f"{p}. {' '.join(split)}"
                    break
        out.append(word)
    return " ".join(out)


def _syllables(word: str) -> list[str] | None:
    """The likeliest split of a word into syllables seen in Vietnamese documents ("QUYÉT" is no "QUY ÉT");
    None when there is none."""
    if not word.isalpha():
        return None
    best: list[tuple[float, list[str]] | None] = [(0.0, [])] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - MAX_SYLLABLE), end):
            piece, before = word[start:end], best[start]
            if before is None or piece.lower() not in frequencies()[0] or not is_syllable(piece):
                continue
            score = before[0] + logp(piece)
            if best[end] is None or score > best[end][0]:
                best[end] = (score, [*before[1], piece])
    found = best[-1]
    return found[1] if found else None


def blank_slots(text: str) -> str:
    """The number after "Số:" and the day and month of the date line as blanks unless OCR read digits there:
    they are stamped or handwritten over the printed form, and what OCR makes of handwriting ("ngàyÓẨ",
    "Số: pổế” /QĐ-XPVPHC") is never a number. A blank reads as the form before it was filled in."""
    if m := DATE.SLOTS.match(text):
        day, month = (v if v.isdigit() and 1 <= int(v) <= top else "" for v, top in ((m["d"], 31), (m["m"], 12)))
        slots = " ".join(x for x in (m["place"], day, m["t"], month, m["y"]) if x)
        text = slots + text[m.end() :]
    if (m := SO.SLOT.match(text)) and not re.fullmatch(r"\d+[a-zA-Z]?", m["n"]):
        text = f"{m['so']} {m['rest']}"
    return text


def speck(text: str) -> bool:
    """A line of specks only ("— u—=", "À ` F$", "“2"): what a seal or a signature left over a column."""
    return not any(_solid(w) for w in text.split()) and not _KEEP.fullmatch(text.strip())


def _solid(text: str, least: int = 2) -> bool:
    return sum(c.isalnum() for c in text) >= least


def words_of_tsv(tsv: str) -> list[OcrLine]:
    """Tesseract's TSV output as lines of words, top to bottom."""
    rows = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    lines: dict[tuple[str, str, str], list[Word]] = {}
    width = 0
    for r in rows:
        if r.get("level") == "1":
            width = int(r["width"])
        text = (r.get("text") or "").strip()
        if r.get("level") == "5" and text:
            x, y, w, h = (int(r[k]) for k in ("left", "top", "width", "height"))
            word = Word(text, x, y, x + w, y + h, float(r.get("conf") or 0))
            lines.setdefault((r["block_num"], r["par_num"], r["line_num"]), []).append(word)
    out = [OcrLine(words, width) for words in lines.values()]
    out.sort(key=lambda line: (line.y0, line.x0))
    return out


def _pieces(words: list[Word]) -> Iterator[str]:
    """The words of one line as text, cut where they lie further apart than GAP heights."""
    if not words:
        return
    height = median(w.y1 - w.y0 for w in words)
    chunk = [words[0].text]
    for prev, w in itertools.pairwise(words):
        if w.x0 - prev.x1 > GAP * height:
            yield " ".join(chunk)
            chunk = []
        chunk.append(w.text)
    yield " ".join(chunk)


def _tidy(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(t, w) for text, w in lines if (t := tidy(text) or text)]


def _band(width: int) -> list[float]:
    """Where a gutter between two columns may run: the middle 40 % of the page, in steps of 0.5 %."""
    return [width * (0.3 + 0.4 * k / 80) for k in range(81)]


def _gutter(lines: list[OcrLine], width: int) -> tuple[float, int] | None:
    """The vertical x in the page's middle band cleared by the longest run of leading `lines`, and the run's
    length; None when no run has text on both sides of it."""
    best: tuple[float, int] | None = None
    xs = _band(width)
    runs = []
    for x in xs:
        n = 0
        while n < len(lines) and lines[n].clears(x) and not lines[n].centred():
            n += 1
        runs.append(n)
    top = max(runs, default=0)
    if top < 3:
        return None
    # the middle of the widest range of x with the longest run: the gutter's centre
    ranges = [list(g) for ok, g in itertools.groupby(zip(xs, runs, strict=True), key=lambda t: t[1] == top) if ok]
    x = median(t[0] for t in max(ranges, key=len))
    left = sum(1 for line in lines[:top] if line.side(x)[0])
    right = sum(1 for line in lines[:top] if line.side(x)[1])
    if left and right and left + right >= 3:
        best = (x, top)
    return best


Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in the page image's pixels
# (page index, box, psm, colour) -> Tesseract's TSV of the box read on its own, its ink whitened with `colour`
Reread = Callable[[int, Box, str, float], str]


def order(pages: list[list[OcrLine]], reread: Reread | None = None) -> list[list[tuple[str, str]]]:
    """Each page's lines as (text, where), column blocks read left column first.

    With `reread`, each column of a block is read again on its own (Tesseract PSM_COLUMN): the page's
    segmentation sees a header or a signature block as one text block and misreads small or italic lines
    next to a wide gutter ("Nơi nhận:" came out "mm"); alone, a column reads like body text."""
    last = max((i for i, p in enumerate(pages) if p), default=-1)
    out: list[list[tuple[str, str]]] = []
    blocks = 0
    for i, lines in enumerate(pages):
        width = max((line.page_width for line in lines), default=0) or max((ln.x1 for ln in lines), default=0)
        spans: list[tuple[int, int, float]] = []  # (start, end, gutter x) of the column blocks
        if i == 0 and (g := _gutter(lines, width)):
            spans.append((0, g[1], g[0]))
        for k, line in enumerate(lines):
            if _noi_nhan(" ".join(w.text for w in line.words)) and not any(a <= k < b for a, b, _ in spans):
                spans.append(_around(lines, k, width))
        if i == last and not spans:  # below the last running text line: signature blocks, a grid or several
            band = _band(width)
            k = max((n + 1 for n, line in enumerate(lines) if not any(line.clears(x) for x in band)), default=0)
            k = max([k, *(b for _, b, _ in spans)])
            while k < len(lines):
                if g := _gutter(lines[k:], width):
                    spans.append((k, k + g[1], g[0]))
                    k += g[1]
                else:
                    k += 1
        spans.sort()
        page: list[tuple[str, str]] = []
        k = 0
        for a, b, x in spans:
            page += [(t, "") for line in lines[k:a] for t in _pieces(line.words)]
            blocks += 1
            columns = []
            for col in (0, 1):
                texts = [t for line in lines[a:b] for t in _pieces(line.side(x)[col])]
                if reread and texts:
                    signer = col == 1 and not (i == 0 and a == 0)
                    above = int(median(w.y1 for w in lines[a - 1].words)) if a else 0  # a scribble's tail aside
                    below = lines[b].y0 if b < len(lines) else None
                    texts = _merge(lines[a:b], x, col, reread, i, width, signer=signer, above=above, below=below)
                if i == 0 and a == 0:
                    texts = [fixed_line(t) for t in texts]
                    if col == 0 and not any(SO.match(t.replace("⁄", "/")) for t in texts):
                        k = next((n for n, t in enumerate(texts) if _so_line(t)), None)
                        if k is not None:
                            texts[k] = so_line(texts[k])
                columns.append(texts)
            if i == 0 and a == 0:  # a signature stamp's text above the Quốc hiệu is above the header
                qh = fold(rules.nd30()["quoc_hieu"])
                above = next((n for n, t in enumerate(columns[1]) if fold(t) == qh), 0)
                page += [(t, "") for t in columns[1][:above]]
                columns[1] = columns[1][above:]
            for col, texts in enumerate(columns):
                page += [(t, f"cols{blocks}.c{col + 1}") for t in texts]
            k = b
        page += [(t, "") for line in lines[k:] for t in _pieces(line.words)]
        out.append(_tidy(page))
    return out


def _merge(
    lines: list[OcrLine],
    x: float,
    col: int,
    reread: Reread,
    page: int,
    width: int,
    *,
    signer: bool = False,
    above: int = 0,
    below: int | None = None,
) -> list[str]:
    """One column of a block read again on its own; lines the second reading missed at the column's foot
    (a name under a signature, taken for a picture) are kept from the page's reading. A signer's column,
    under a seal and a signature, has each line read once more on its own (`_alone`), and the room below
    it, down to the page's next line (`below`), searched for the name no reading saw (`_name`)."""
    box = _box(lines, x, col, width, above)
    again = words_of_tsv(reread(page, box, PSM_COLUMN, COLOUR))
    texts = []
    for line in again:
        for w in line.words:
            w.x0, w.x1, w.y0, w.y1 = w.x0 + box[0], w.x1 + box[0], w.y0 + box[1], w.y1 + box[1]
        pieces = list(_pieces(line.words))
        if signer and len(pieces) == 1:
            pieces = [_alone(line, (box[0], box[2]), reread, page, pieces[0])]
        texts += pieces
    bottom = max((w.y1 for line in again for w in line.words), default=0)
    for line in lines:  # below all the second reading found: what the page's reading saw there
        words = line.side(x)[col]
        if line.y0 > bottom and sum(_solid(w.text) for w in words) >= 2:
            texts += _pieces(words)
            bottom = max(bottom, line.y1)
    if signer and again:
        height = int(median(line.height for line in again))
        room = (box[0], bottom + height // 2, box[2], min(below or 10**6, bottom + NAME_ROOM * height))
        texts += _name(room, reread, page)
    return texts


NAME_ROOM = 10  # line heights below a signer's title where the name may sit under the signature and seal
PSM_SPARSE = "11"  # words wherever they are: a name among a signature's strokes


def _name(room: Box, reread: Reread, page: int) -> list[str]:
    """The signer's name in the room below the column, where neither reading saw a line: its words found
    anywhere (PSM_SPARSE), then their line read alone (`_alone`). Kept only when it reads as a person's
    name (every word a capitalised Vietnamese syllable), so a signature's strokes never become one."""
    if room[3] - room[1] < 1:
        return []
    words = [w for line in words_of_tsv(reread(page, room, PSM_SPARSE, COLOUR)) for w in line.words if _solid(w.text)]
    for w in words:
        w.x0, w.x1, w.y0, w.y1 = w.x0 + room[0], w.x1 + room[0], w.y0 + room[1], w.y1 + room[1]
    out = []
    for row in _rows(words):
        line = OcrLine(row)
        got = _alone(line, (room[0], room[2]), reread, page, " ".join(w.text for w in line.words))
        names = [w for w in got.split() if w[:1].isupper() and is_syllable(w)]
        if len(names) >= 2 and len(names) == len(got.split()):
            out.append(got)
    return out


def _rows(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines by their height on the page (a sparse reading gives each word alone)."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.y0 + w.y1) / 2):
        mid = (w.y0 + w.y1) / 2
        if rows and abs(mid - median((v.y0 + v.y1) / 2 for v in rows[-1])) < 0.5 * (w.y1 - w.y0):
            rows[-1].append(w)
        else:
            rows.append([w])
    return rows


PSM_LINE = "7"  # one line of text
SURER = 10  # a line read alone replaces the column's reading of it, as Vietnamese, only this much surer


def _alone(line: OcrLine, span: tuple[int, int], reread: Reread, page: int, text: str) -> str:
    """A line read again alone across its column (PSM_LINE), where a seal or a signature next to it no longer
    disturbs the layout ("thái Văn Tài" → "Thái Văn Tài"), with the coloured ink whitened as on the page and
    more lightly (a seal's red over "Hoàng" left "Đeàng"); the reading that is the most Vietnamese, then the
    surest, replaces the column's when it is more Vietnamese or as much and SURER surer."""
    pad = int(line.height * 0.4)
    box = (span[0], max(0, min(w.y0 for w in line.words) - pad), span[1], max(w.y1 for w in line.words) + pad)
    reads = []
    for colour in (COLOUR, COLOUR_LIGHT):
        words = [w for ln in words_of_tsv(reread(page, box, PSM_LINE, colour)) for w in ln.words]
        got = _EDGE.sub("", _LEAD.sub("", " ".join(_pieces(words)))).strip()
        if colour == COLOUR and got and speck(got) and _vietnamese(text) < 0:
            return got  # alone it reads as specks: a signature's stroke ("h8 5 —" → "=2"), set aside as such
        if got:
            reads.append((_vietnamese(got), _sure(words), got))
    if not reads:
        return text
    score, sure, got = max(reads)
    if score <= 0:
        return text
    mine = _vietnamese(text)
    return got if score > mine or (score == mine and sure >= _sure(line.words) + SURER) else text


def _sure(words: list[Word]) -> float:
    """Tesseract's mean confidence in the words that are print (specks aside)."""
    confs = [w.conf for w in words if _solid(w.text)]
    return sum(confs) / len(confs) if confs else 0.0


def _vietnamese(text: str) -> int:
    """Words that are Vietnamese syllables less words that are not (punctuation and a signer's "KT." aside)."""
    words = [w.strip(".,;:()") for w in text.split()]
    return sum(1 if is_syllable(w) else -1 for w in words if w and not SIGNER.LOOSE.fullmatch(w + " "))


_SO_TAIL = re.compile(r"(?P<code>[A-ZĐ][\wĐđ]*(?:-[A-ZĐ][\wĐđ]*)+)\s*$")  # the ký hiệu ending a Số line


def _so_line(text: str) -> bool:
    """The header's Số line as OCR reads it: "Số"'s S (or what OCR makes of it) first, a ký hiệu last."""
    return text[:1] in "Ss" and bool(_SO_TAIL.search(text)) and len(text) < 60


def so_line(text: str) -> str:
    """The header's Số line in its printed form: its label "Số:" is fixed by the law, so a misread label
    ("Sô:", "sẽ l", "Số1") is put back; the number stays only where OCR read digits, else it is the form's
    blank ("Số: /BCT-ATMT"), and the ký hiệu is kept as read."""
    if not _so_line(text) or SO.match(text):
        return text
    m = _SO_TAIL.search(text)
    assert m is not None
    head = text[: m.start()]
    if len(head) > 12:  # more than a label, a number and a slash: not a Số line
        return text
    digits = re.fullmatch(r"\S{1,3}?:?\s*(\d+)\s*[/lYV|]?\s*", head)
    return f"Số: {digits[1]}/{m['code']}" if digits else f"Số: /{m['code']}"


def _box(lines: list[OcrLine], x: float, col: int, width: int, above: int = 0) -> Box:
    """One column of a block, with room around its words (a line height) but not past the gutter, nor up
    into the line `above` the block ends at (half a body line read with the column came out as junk:
    "RUN. MIKI( } ĐẾN J TNIMHE")."""
    words = [w for line in lines for w in line.side(x)[col]]
    pad = int(median(line.height for line in lines))
    x0, x1 = (0, int(x)) if col == 0 else (int(x), width)
    first = min(w.y0 for w in words)
    top = max(first - pad, min(above, first - 2))
    bottom = max(w.y1 for w in words) + pad // 2
    return max(x0, min(w.x0 for w in words) - pad), max(0, top), min(x1, max(w.x1 for w in words) + pad), bottom


def _around(lines: list[OcrLine], k: int, width: int) -> tuple[int, int, float]:
    """The column block holding line k ("Nơi nhận:"): the longest run through k that one gutter clears."""
    best = (k, k + 1, (lines[k].x1 + width) / 2)
    for x in _band(width):
        if not lines[k].clears(x):
            continue
        a = k
        while a > 0 and lines[a - 1].clears(x):
            a -= 1
        b = k + 1
        while b < len(lines) and lines[b].clears(x):
            b += 1
        if b - a > best[1] - best[0]:
            best = (a, b, x)
    return best


def ink_only(ppm: bytes, colour: float = COLOUR) -> bytes:
    """A binary PPM (P6) image as a PGM (P5) that keeps grey and black print and drops coloured ink: each
    pixel takes its lightest channel, lightened by COLOUR times its colourfulness (max - min channel) beyond
    a scanner's cast, so red (a seal) and blue (a signature, a handwritten number) turn white while black
    and grey print stay. (Measured on the labelled scans: the lightest channel reads better than luminance.)"""
    import numpy as np

    header, pixels = _pnm(ppm)
    w, h, _ = header
    rgb = np.frombuffer(pixels, dtype=np.uint8, count=w * h * 3).reshape(h, w, 3).astype(np.int32)
    top, low = rgb.max(axis=2), rgb.min(axis=2)
    chroma = np.maximum(top - low - GREY_CAST, 0)
    gray = np.clip(top + colour * chroma, 0, 255).astype(np.uint8)
    return f"P5\n{w} {h}\n255\n".encode() + gray.tobytes()


def _pnm(data: bytes) -> tuple[tuple[int, int, int], bytes]:
    fields: list[bytes] = []
    pos = 2
    while len(fields) < 3:
        while data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        start = pos
        while not data[pos : pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    w, h, maxval = (int(f) for f in fields)
    return (w, h, maxval), data[pos + 1 :]


def read_ocr(
    pages: list[str], reread: Reread | None = None, warnings: list[str] | None = None
) -> list[list[tuple[str, str]]]:
    """(text, where) lines of each page from its Tesseract TSV (see read_words)."""
    return read_words([words_of_tsv(tsv) for tsv in pages], reread, warnings)


def read_words(
    pages: list[list[OcrLine]], reread: Reread | None = None, warnings: list[str] | None = None
) -> list[list[tuple[str, str]]]:
    """(text, where) lines of each page's OCR lines in reading order, misread words put right from their
    context (readers/spelling.py); `warnings` receives the list of words changed."""
    lines, changes = correct_pages(order(pages, reread))
    if changes and warnings is not None:
        warnings.append(summary(changes))
    return lines


def crop(image: bytes, box: Box) -> bytes:
    """The box of a binary PGM (P5) or PPM (P6) image, in the same format."""
    import numpy as np

    (w, h, _), pixels = _pnm(image)
    n = 3 if image.startswith(b"P6") else 1
    grid = np.frombuffer(pixels, dtype=np.uint8, count=w * h * n).reshape(h, w, n)
    x0, y0, x1, y1 = box
    part = grid[max(0, y0) : min(h, y1), max(0, x0) : min(w, x1)]
    return f"P{5 if n == 1 else 6}\n{part.shape[1]} {part.shape[0]}\n255\n".encode() + part.tobytes()
