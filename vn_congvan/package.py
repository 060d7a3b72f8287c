"""Open a .docx (a zip of XML parts) safely: what it is, how big it inflates and how many parts it has are
decided from the zip directory before anything is inflated, and enforced while inflating.

A member never inflates past its declared size (zipfile stops there and the CRC then fails), so the
directory's total bounds the bytes; the XML elements read are counted too (a 16 KB package of empty
paragraphs costs the reader more memory than its bytes say). A part with a DTD (billion laughs, external
entities: Word never writes one) is refused; a .doc, .pdf or folder named .docx gets a message saying what it is.
"""

from __future__ import annotations

import pyexpat
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from . import limits
from .errors import InputError, Problem


class DocxReadError(InputError):
    """The file is missing, not a zip, not a Word document, damaged, or over a budget."""


_MAGIC = {
    b"\xd0\xcf\x11\xe0": "tệp Word 97–2003 (.doc) hoặc .docx có mật khẩu, không phải .docx thường; "
    "hãy lưu lại dạng .docx (Word, hoặc: soffice --headless --convert-to docx TỆP.doc)",
    b"%PDF": "tệp PDF, không phải .docx",
    b"{\\rtf": "tệp RTF, không phải .docx; hãy mở bằng Word và lưu dạng .docx",
}
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_XML = (".xml", ".rels", ".vml")
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError)


def _error(message: str, path: Path) -> DocxReadError:
    return DocxReadError([Problem(message, file=str(path))])


class Package:
    """The zip, checked: `namelist()` and `read(name)` like zipfile, every read within the budgets."""

    def __init__(self, path: Path, stream: IO[bytes], zf: zipfile.ZipFile) -> None:
        self.path = path
        self._stream = stream
        self._zf = zf
        self._elements = limits.DOCX_ELEMENTS.limit  # what is left: memory follows elements, not bytes

    def namelist(self) -> list[str]:
        return self._zf.namelist()

    def read(self, name: str) -> bytes:
        try:
            data = self._zf.read(name)
        except _DAMAGE as exc:
            raise _error(
                f"tệp .docx bị hỏng, không giải nén được phần {name} (corrupt part: {exc})", self.path
            ) from None
        if name.lower().endswith(_XML) and _has_dtd(data):
            raise _error(
                f"phần {name} có khai báo DTD (<!DOCTYPE>), Word không bao giờ tạo: có thể là tấn công "
                "billion laughs hoặc external entity (XML DTD refused)",
                self.path,
            )
        if name.lower().endswith(_XML):
            self._elements -= data.count(b"<") - data.count(b"</")  # start tags (and a few declarations)
            if self._elements < 0:
                raise _error(limits.DOCX_ELEMENTS.message(f"phần {name}"), self.path)
        return data

    def close(self) -> None:
        self._zf.close()
        self._stream.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _has_dtd(data: bytes) -> bool:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        data = data.decode("utf-16", "replace").encode("utf-8")
    return b"<!DOCTYPE" in data or b"<!ENTITY" in data


def open_package(path: Path | str) -> Package:
    """Open `path` as a .docx package; raise DocxReadError (exit 2) with a plain message otherwise."""
    path = Path(path)
    try:
        if path.is_dir():
            raise _error("là một thư mục, không phải tệp .docx (is a directory)", path)
        if not path.exists():
            raise _error("không tìm thấy tệp (file not found)", path)
        stream = path.open("rb")
    except OSError as exc:
        raise _error(f"không đọc được tệp (cannot read): {exc.strerror}", path) from None
    try:
        head = stream.read(8)
        for magic, what in _MAGIC.items():
            if head.startswith(magic):
                raise _error(f"đây là {what} (wrong file type)", path)
        try:
            zf = zipfile.ZipFile(stream)
        except (*_DAMAGE, zipfile.LargeZipFile) as exc:
            raise _error(
                f"không đọc được tệp .docx (unreadable docx): không phải gói zip (not a zip package: {exc})", path
            ) from None
        _check_directory(zf, path, path.stat().st_size)
    except BaseException:
        stream.close()
        raise
    return Package(path, stream, zf)


def _check_directory(zf: zipfile.ZipFile, path: Path, size: int) -> None:
    infos = zf.infolist()
    if len(infos) > limits.DOCX_PARTS.limit:
        raise DocxReadError([Problem(limits.DOCX_PARTS.message(f"{len(infos)} phần"), file=str(path))])
    total = sum(i.file_size for i in infos)
    if total > size + limits.DOCX_MB.bytes:
        raise DocxReadError([Problem(limits.DOCX_MB.message(f"giải nén ra {limits.mb(total)}"), file=str(path))])
    for info in infos:
        if info.flag_bits & 0x1:
            raise _error(f"tệp .docx được mã hóa (encrypted): phần {info.filename}; hãy gỡ mật khẩu rồi lưu lại", path)
        if info.compress_type not in _METHODS:
            raise _error(
                f"phần {info.filename} dùng phương thức nén không hỗ trợ (unknown compression {info.compress_type})",
                path,
            )
    if "[Content_Types].xml" not in zf.namelist():
        raise _error("thiếu [Content_Types].xml: không phải gói Office Open XML (not an OOXML package)", path)


def verify(path: Path | str) -> None:
    """Open and inflate every XML part within the budgets: for readers (python-docx) that open the zip
    themselves and would otherwise meet a damaged or hostile package first."""
    with open_package(path) as package:
        for name in package.namelist():
            if name.lower().endswith(_XML):
                try:
                    pyexpat.ParserCreate(namespace_separator=" ").Parse(package.read(name), True)
                except (pyexpat.ExpatError, LookupError, ValueError) as exc:  # LookupError: encoding="junk"
                    message = f"tệp .docx bị hỏng: phần {name} không phải XML hợp lệ (not well-formed: {exc})"
                    raise _error(message, path) from None
