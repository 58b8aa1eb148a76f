#!/usr/bin/env bash
# The free default faces of the official documents (issue 20): FandolFang (仿宋) and FandolKai (楷体),
# GPL with the font exception, taken from Debian's texlive-lang-chinese package without installing
# it (49 MB download, two files kept). The standard's licensed faces (仿宋_GB2312, 方正小标宋简体, 黑体,
# 楷体_GB2312) are put by the agency into the same fonts folder (fonts/, DOCUMENT_FONTS_DIR) and win.
# Without network the documents fall back to Noto Serif CJK (fonts-noto-cjk), and say so nowhere
# else: the measured test checks the face actually embedded.
set -euo pipefail
target="${DOCUMENT_FONTS_DIR:-$(dirname "$0")/../fonts}/free"
[ -f "$target/FandolFang-Regular.otf" ] && [ -f "$target/FandolKai-Regular.otf" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
( cd "$work" && apt-get download texlive-lang-chinese >/dev/null 2>&1 ) || {
  echo "document-fonts: could not download texlive-lang-chinese; documents use Noto Serif CJK instead of FandolFang/FandolKai" >&2
  exit 0
}
dpkg-deb -x "$work"/texlive-lang-chinese_*.deb "$work/x"
mkdir -p "$target"
source="$work/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
cp "$source/FandolFang-Regular.otf" "$source/FandolKai-Regular.otf" "$target/"
cp "$work/x/usr/share/doc/texlive-doc/fonts/fandol/README" "$target/FANDOL-README"
gunzip -c "$work/x/usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz" > "$target/FANDOL-COPYING"
echo "document-fonts: FandolFang and FandolKai in $target"
