"""The console's web server (console/deploy/nginx.conf) answers as the gateway does.

On one machine the gateway serves the console (gateway/src/gateway/console.py); in
Kubernetes and docker-compose the console image's nginx does. Both must send the same
page with the same headers: the strict CSP on index.html, immutable caching for the
hashed assets, no-cache for the page, the single-page fallback, the security headers.

The real configuration runs under a real nginx here, with its absolute paths moved into a
temporary folder: Debian's nginx when installed, else its package unpacked (no service
started) under .local/tools; without either the test is skipped.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from gateway.console import CONSOLE_CSP

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "console" / "deploy"
TOOLS = ROOT / ".local" / "tools"
ASSET = "/assets/index-Cq3x9f2A.js"
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _nginx() -> tuple[Path, Path] | None:
    """The nginx binary and the folder holding mime.types."""
    found = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    if found and Path("/etc/nginx/mime.types").exists():
        return Path(found), Path("/etc/nginx")
    unpacked = TOOLS / "nginx"
    if not (unpacked / "usr/sbin/nginx").exists() and shutil.which("apt-get"):
        download = TOOLS / "nginx-debs"
        download.mkdir(parents=True, exist_ok=True)
        fetched = subprocess.run(
            ["apt-get", "download", "nginx", "nginx-common"],
            cwd=download,
            capture_output=True,
            check=False,
        )
        if fetched.returncode != 0:
            return None
        for deb in download.glob("*.deb"):
            subprocess.run(["dpkg-deb", "-x", str(deb), str(unpacked)], check=True)
    if (unpacked / "usr/sbin/nginx").exists():
        return unpacked / "usr/sbin/nginx", unpacked / "etc/nginx"
    return None


class _Upstream(BaseHTTPRequestHandler):
    """Stands in for the gateway: answers the path and the forwarding headers it got."""

    def do_GET(self) -> None:
        body = f"gateway {self.path} xff={self.headers.get('X-Forwarded-For')}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@dataclass(frozen=True)
class Server:
    url: str
    dist: Path
    probes_url: str  # the probes' own port, which no Service exposes


def _start(tmp_path: Path, nginx: tuple[Path, Path], *, proxy_to: int | None) -> Iterator[Server]:
    binary, mime_dir = nginx
    etc, dist, scratch = tmp_path / "etc", tmp_path / "dist", tmp_path / "tmp"
    (etc / "conf.d").mkdir(parents=True)
    (dist / "assets").mkdir(parents=True)
    scratch.mkdir()
    (dist / "index.html").write_text('<!doctype html><script src="/assets/x.js"></script>')
    (dist / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (dist / ASSET.lstrip("/")).write_text("console.log('console')")
    port, probes_port = _free_port(), _free_port()
    for source in DEPLOY.glob("*.conf"):
        text = (
            source.read_text()
            .replace("/tmp/", f"{scratch}/")  # first: tmp_path itself is under /tmp
            .replace("/etc/nginx/mime.types", str(mime_dir / "mime.types"))
            .replace("/etc/crm-console/", f"{etc}/")
            .replace("/usr/share/crm-console", str(dist))
            .replace("listen 8080", f"listen 127.0.0.1:{port}")
            .replace("listen 8081", f"listen 127.0.0.1:{probes_port}")
        )
        if source.name == "gateway-proxy.conf":
            if proxy_to is None:
                continue
            text = text.replace("http://gateway:8080", f"http://127.0.0.1:{proxy_to}")
            (etc / "conf.d" / source.name).write_text(text)
        else:
            (etc / source.name).write_text(text)
    log = (tmp_path / "nginx.log").open("w")
    command = [str(binary), "-c", str(etc / "nginx.conf"), "-e", "stderr"]
    if os.geteuid() == 0:  # as root nginx would switch its workers to "nobody"
        command += ["-g", "user root;"]
    process = subprocess.Popen(
        command,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url, probes_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{probes_port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                if httpx.get(f"{probes_url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, (tmp_path / "nginx.log").read_text()
            assert time.monotonic() < deadline, "nginx did not answer /healthz"
            time.sleep(0.05)
        yield Server(url, dist, probes_url)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def nginx() -> tuple[Path, Path]:
    found = _nginx()
    if found is None:
        pytest.skip("no nginx here (Debian's package neither installed nor downloadable)")
    return found


@pytest.fixture
def console(tmp_path: Path, nginx: tuple[Path, Path]) -> Iterator[Server]:
    yield from _start(tmp_path, nginx, proxy_to=None)


@pytest.fixture
def gateway_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def composed(tmp_path: Path, nginx: tuple[Path, Path], gateway_port: int) -> Iterator[Server]:
    yield from _start(tmp_path, nginx, proxy_to=gateway_port)


def _has_security_headers(response: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (response.url, name)


def test_the_configuration_carries_the_gateways_csp_word_for_word() -> None:
    assert f'Content-Security-Policy "{CONSOLE_CSP}" always;' in (DEPLOY / "nginx.conf").read_text()


@pytest.mark.parametrize("path", ["/", "/index.html", "/customers/c-42", "/settings/users?x=1"])
def test_the_page_and_every_deep_link_answer_index_html_with_the_strict_csp(
    console: Server, path: str
) -> None:
    response = httpx.get(console.url + path)
    assert response.status_code == 200
    assert response.text == (console.dist / "index.html").read_text()
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CONSOLE_CSP
    assert response.headers["cache-control"] == "no-cache"
    _has_security_headers(response)


def test_hashed_assets_are_immutable_and_a_missing_one_is_not_the_page(console: Server) -> None:
    response = httpx.get(console.url + ASSET)
    assert response.status_code == 200
    assert response.text == "console.log('console')"
    assert "javascript" in response.headers["content-type"]
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    _has_security_headers(response)
    missing = httpx.get(console.url + "/assets/gone-123.js")
    assert missing.status_code == 404
    assert "content-security-policy" not in missing.headers


def test_other_files_are_revalidated(console: Server) -> None:
    response = httpx.get(console.url + "/favicon.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["cache-control"] == "no-cache"
    _has_security_headers(response)


@pytest.mark.parametrize("path", ["/api/v1/customers", "/docs", "/openapi.json", "/metrics"])
def test_the_api_paths_are_never_the_page(console: Server, path: str) -> None:
    response = httpx.get(console.url + path)
    assert response.status_code == 404
    assert "<html" not in response.text


def test_the_probes_answer_on_their_own_port_only(console: Server) -> None:
    for path in ("/healthz", "/readyz"):
        assert httpx.get(console.probes_url + path).status_code == 200
        public = httpx.get(console.url + path)
        assert public.status_code == 404, path  # what the Ingress sends here from outside
        assert "<html" not in public.text
    assert httpx.get(console.probes_url + "/").status_code == 404


def test_in_compose_the_console_proxies_the_api_to_the_gateway(composed: Server) -> None:
    for path in ("/api/v1/customers?page=2", "/docs", "/openapi.json", "/admin/dead-letters"):
        response = httpx.get(composed.url + path)
        assert response.status_code == 200, path
        assert response.text.startswith(f"gateway {path} xff=127.0.0.1"), response.text
        # The gateway's own headers are its own: nothing added or doubled here.
        assert "x-frame-options" not in response.headers
    page = httpx.get(composed.url + "/customers")
    assert page.headers["content-security-policy"] == CONSOLE_CSP
