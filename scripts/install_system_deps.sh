#!/usr/bin/env bash
# System tools for PDF export and reading scans (optional for users): LibreOffice Writer without GUI,
# Liberation fonts 2.x (Times New Roman metrics with Vietnamese letters; 1.07 lacks them), poppler-utils
# (pdftotext, pdffonts, pdftoppm) and Tesseract with Vietnamese data (OCR). Idempotent: does nothing when everything is present.
# As root, installs what is missing with apt-get; otherwise prints what to install and exits 0.
set -euo pipefail

missing=()

# Judge LibreOffice by the command, not the package: a full (GUI) LibreOffice also converts, and
# installing the -nogui variant over it would replace it.
if ! command -v soffice >/dev/null 2>&1 && ! command -v libreoffice >/dev/null 2>&1; then
    missing+=(libreoffice-writer-nogui)
fi

if command -v dpkg-query >/dev/null 2>&1; then
    if [ "$(dpkg-query -W -f='${Status}' fonts-liberation2 2>/dev/null || true)" != "install ok installed" ]; then
        missing+=(fonts-liberation2)
    fi
elif ! fc-list 2>/dev/null | grep -qi "Liberation Serif"; then
    missing+=(fonts-liberation2)
fi

if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdffonts >/dev/null 2>&1; then
    missing+=(poppler-utils)
fi

# OCR of scans and of PDFs whose text layer is broken (vn_congvan.readers): Tesseract with Vietnamese data.
if ! command -v tesseract >/dev/null 2>&1; then
    missing+=(tesseract-ocr tesseract-ocr-vie)
elif ! tesseract --list-langs 2>/dev/null | grep -qx vie; then
    missing+=(tesseract-ocr-vie)
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "install_system_deps: LibreOffice, fonts-liberation2, poppler-utils, tesseract-ocr-vie: đã có (already installed)"
    exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install_system_deps: thiếu (missing): ${missing[*]}" >&2
    echo "  Xuất PDF và đọc bản quét cần chúng (needed for PDF export and OCR). Cài bằng (install with):" >&2
    echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "install_system_deps: apt-get install ${missing[*]}"
# Wait for another apt/dpkg run (e.g. unattended upgrades) instead of failing on its lock.
apt-get -o DPkg::Lock::Timeout=600 update
apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"
