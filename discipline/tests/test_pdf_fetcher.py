"""WeasyPrint loads nothing but the product's own static fonts and images (issue 17, defence in depth):
a document that names an intranet address or a server file fetches nothing, and the CJK fonts still
embed."""

import re
import socket
import threading
import zlib
from io import BytesIO

import pytest
from pypdf import PdfReader

from discipline.common.pdf import render_pdf, static_asset_path
from discipline.tests.test_workflow import _pdf_fonts

# The smallest valid PNG: one red pixel.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)
SECRET = b"root-secret-line-that-must-not-leave-the-server"


class Listener:
    """A real TCP listener on a free loopback port that counts the connections it gets."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def probe(settings, tmp_path):
    """A template naming outside URLs, a server file (standing in for /etc/passwd, which is also
    named), and one image of the product's own static folder; rendered with the real template engine."""
    templates, static = tmp_path / "templates", tmp_path / "static"
    (static / "img").mkdir(parents=True)
    (static / "img" / "seal.png").write_bytes(PNG)
    secret = tmp_path / "server-secret.txt"
    secret.write_bytes(SECRET)
    templates.mkdir()
    engine = dict(settings.TEMPLATES[0])
    settings.TEMPLATES = [{**engine, "DIRS": [templates, *engine.get("DIRS", [])]}]
    settings.STATICFILES_DIRS = [static]

    def make(port: int) -> str:
        outside = f"http://127.0.0.1:{port}"
        (templates / "probe.html").write_text(
            "{% load static %}<html><head>"
            f'<link rel="stylesheet" href="{outside}/style.css">'
            f"<style>@font-face {{ font-family: Probe; src: url({outside}/font.woff2); }}"
            f' body {{ font-family: "Noto Serif CJK SC", serif; background: url({outside}/bg.png); }}'
            " .f { font-family: Probe; }</style>"
            f'<link rel="attachment" href="file://{secret}">'
            '<link rel="attachment" href="file:///etc/passwd">'
            "</head><body><p>干预过问记录报告</p>"
            f'<img src="{outside}/x.png"><img src="file:///etc/passwd"><img src="file://{secret}">'
            f'<a rel="attachment" href="{outside}/leak.txt">附件</a>'
            "<img src=\"{% static 'img/seal.png' %}\" alt=\"seal\">"
            '<p class="f">内部</p></body></html>',
            encoding="utf-8",
        )
        return "probe.html"

    return make


def _decoded_streams(pdf: bytes) -> list[bytes]:
    """Every stream of the PDF, inflated where it is compressed."""
    streams = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            streams.append(raw)
    return streams


def test_outside_urls_and_server_files_are_not_fetched_but_own_static_and_fonts_are(listener, probe):
    pdf = render_pdf(probe(listener.port), {})
    # Nothing reached the listener: no stylesheet, font, background, image or attachment was fetched.
    assert listener.connections == 0
    reader = PdfReader(BytesIO(pdf))
    # No server file is embedded as an attachment, nor anywhere else in the document.
    assert reader.attachments == {}
    streams = _decoded_streams(pdf)
    assert len(streams) > 3
    assert not any(SECRET in data or b"root:x:0:0" in data for data in [pdf, *streams])
    # The product's own static image is there, and only it.
    assert sum(len(page.images) for page in reader.pages) == 1
    fonts = _pdf_fonts(pdf)
    assert any("CJK" in name and embedded for name, embedded in fonts), fonts


def test_the_fetcher_policy_maps_only_static_fonts_and_images(settings, tmp_path):
    static = tmp_path / "static"
    (static / "fonts").mkdir(parents=True)
    (static / "fonts" / "a.woff2").write_bytes(b"wOF2")
    (static / "app.js").write_text("alert(1)")
    (tmp_path / "outside.png").write_bytes(PNG)
    (static / "link.png").symlink_to(tmp_path / "outside.png")
    settings.STATICFILES_DIRS = [static]
    settings.STATIC_ROOT = None
    assert static_asset_path("file:///static/fonts/a.woff2") == (static / "fonts" / "a.woff2").resolve()
    refused = [
        "file:///static/app.js",  # a script is not a font or an image
        "file:///static/../outside.png",
        "file:///static/link.png",  # a symbolic link out of the static folder
        "file:///etc/passwd",
        f"file://{static}/fonts/a.woff2",  # a real path, not the static mapping
        "file://intranet/static/fonts/a.woff2",
        "http://127.0.0.1/static/fonts/a.woff2",
        "https://example.com/static/fonts/a.woff2",
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///static/missing.png",
    ]
    assert [url for url in refused if static_asset_path(url) is not None] == []
