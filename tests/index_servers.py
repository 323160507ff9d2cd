"""Package index servers on 127.0.0.1 for the online tests, and the small distributions they serve.

* ``devpi_index``: a real devpi-server (PEP 691 JSON and PEP 503 HTML), initialised in a temporary
  directory without the PyPI mirror and started in offline mode, with wheels uploaded over its HTTP API.
* ``pypiserver_index``: a real pypiserver (PEP 503 HTML only) serving a directory of files, fallback to
  PyPI disabled.
* ``static_index``: a stdlib HTTP server answering with fixed pages in the shape of PyPI's, for the fields
  neither server above produces (PEP 700 ``upload-time`` and ``versions``, PEP 792 status, yanked files).

Every server listens on 127.0.0.1 only and nothing here talks to any other host. Startup waits are
bounded, and the processes are terminated (then killed) when the session ends.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import shutil
import socket
import subprocess
import sys
import tarfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

STARTUP_TIMEOUT = 60.0
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def build_wheel(directory: Path, name: str, version: str) -> Path:
    """A minimal valid pure-Python wheel of ``name`` ``version``."""
    module = name.replace("-", "_")
    info = f"{module}-{version}.dist-info"
    files = {
        f"{module}/__init__.py": b"",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: hallucheck-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(
        f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}\n"
        for path, data in files.items()
    )
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    path = directory / f"{module}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in files.items():
            archive.writestr(member, data)
    return path


def build_sdist(directory: Path, name: str, version: str) -> Path:
    """A minimal source distribution (``name-version.tar.gz`` with a PKG-INFO)."""
    path = directory / f"{name.replace('-', '_')}-{version}.tar.gz"
    data = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    with tarfile.open(path, "w:gz") as archive:
        member = tarfile.TarInfo(f"{name.replace('-', '_')}-{version}/PKG-INFO")
        member.size = len(data)
        archive.addfile(member, io.BytesIO(data))
    return path


def executable(name: str) -> str:
    """A console script of the test environment (next to the interpreter, else on PATH), or skip."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed: install the test extra (pip install -e '.[test]')")
    return found


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll ``url`` until it answers, failing early when ``process`` exits and after STARTUP_TIMEOUT."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with _LOCAL.open(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url}: no answer after {STARTUP_TIMEOUT:g} s:\n{log.read_text()[-2000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def request(url: str, *, method: str = "GET", data: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
    with _LOCAL.open(urllib.request.Request(url, data=data, method=method, headers=headers or {}), timeout=30) as r:
        return r.read()


def multipart(fields: dict[str, str], file: Path | None) -> tuple[bytes, str]:
    boundary = "hallucheck-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
             for key, value in fields.items()]
    if file is not None:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="content"; filename="{file.name}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + file.read_bytes() + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


DEVPI_RELEASES = {"tinypkg": ["1.0", "1.1"], "Other_Pkg": ["0.3"]}
"""What the devpi index holds (plus ``emptyproj``, registered with a release but no file)."""


@pytest.fixture(scope="session")
def devpi_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The simple API URL of a devpi-server index ``root/dev`` populated with :data:`DEVPI_RELEASES`."""
    init, server = executable("devpi-init"), executable("devpi-server")
    root = tmp_path_factory.mktemp("devpi")
    serverdir, log = root / "server", root / "devpi.log"
    subprocess.run([init, "--serverdir", str(serverdir), "--no-root-pypi", "--root-passwd", "secret"],
                   check=True, capture_output=True, timeout=STARTUP_TIMEOUT)
    port = free_port()
    process = start([server, "--serverdir", str(serverdir), "--host", "127.0.0.1", "--port", str(port),
                     "--offline-mode"], log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/+api", process, log)
        auth = {"Authorization": "Basic " + base64.b64encode(b"root:secret").decode()}
        request(f"{base}/root/dev", method="PUT", data=json.dumps({"bases": [], "volatile": True}).encode(),
                headers={**auth, "Content-Type": "application/json", "Accept": "application/json"})
        for name, versions in DEVPI_RELEASES.items():
            for version in versions:
                wheel = build_wheel(root, name, version)
                body, content_type = multipart({":action": "file_upload", "name": name, "version": version}, wheel)
                request(f"{base}/root/dev/", method="POST", data=body, headers={**auth, "Content-Type": content_type})
        body, content_type = multipart({":action": "submit", "name": "emptyproj", "version": "0.1"}, None)
        request(f"{base}/root/dev/", method="POST", data=body, headers={**auth, "Content-Type": content_type})
        yield f"{base}/root/dev/+simple/"
    finally:
        stop(process)


@pytest.fixture(scope="session")
def pypiserver_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The simple API URL of a pypiserver serving ``htmlpkg`` 1.0 (wheel) and 2.0 (sdist + wheel)."""
    command = executable("pypi-server")
    root = tmp_path_factory.mktemp("pypiserver")
    packages, log = root / "packages", root / "pypiserver.log"
    packages.mkdir()
    build_wheel(packages, "htmlpkg", "1.0")
    build_wheel(packages, "htmlpkg", "2.0")
    build_sdist(packages, "htmlpkg", "2.0")
    port = free_port()
    process = start([command, "run", "--host", "127.0.0.1", "--port", str(port), "--disable-fallback",
                     str(packages)], log)
    try:
        wait_for(f"http://127.0.0.1:{port}/simple/", process, log)
        yield f"http://127.0.0.1:{port}/simple/"
    finally:
        stop(process)


DAY = 86400


def iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.123456Z", time.gmtime(seconds))


def pep691(name: str, files: list[dict[str, Any]], versions: list[str], status: dict[str, str] | None = None) -> bytes:
    document: dict[str, Any] = {"meta": {"api-version": "1.4"}, "name": name, "files": files, "versions": versions}
    if status is not None:
        document["project-status"] = status
    return json.dumps(document).encode()


def wheel_entry(name: str, version: str, uploaded: float, **extra: Any) -> dict[str, Any]:
    filename = f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
    return {"filename": filename, "url": f"../../files/{filename}", "hashes": {"sha256": "0" * 64},
            "upload-time": iso(uploaded), **extra}


def static_pages(now: float) -> dict[str, tuple[str, bytes]]:
    """Project pages (content type, body) as PyPI's PEP 691 v1.4 JSON and PEP 503 HTML would give them."""
    old = 1556668800  # 2019-05-01
    html_status = (b'<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.4">'
                   b'<meta name="pypi:project-status" content="deprecated">'
                   b'<meta name="pypi:project-status-reason" content="use newpkg"></head><body>'
                   b'<a href="../../files/oldhtml-1.0.tar.gz#sha256=00" data-yanked="">oldhtml-1.0.tar.gz</a><br>'
                   b'<a href="../../files/oldhtml-1.1.tar.gz#sha256=00">oldhtml-1.1.tar.gz</a><br></body></html>')
    json_type = "application/vnd.pypi.simple.v1+json"
    return {
        "young-pkg": (json_type, pep691("young-pkg", [wheel_entry("young-pkg", "0.0.1", now - 3 * DAY)], ["0.0.1"])),
        "old-pkg": (json_type, pep691(
            "old-pkg", [wheel_entry("old-pkg", version, old + i * 90 * DAY) for i, version in enumerate(["1.0", "1.1",
                                                                                                           "2.0"])],
            ["1.0", "1.1", "2.0", "2.1"])),
        "yanked-pkg": (json_type, pep691("yanked-pkg", [
            wheel_entry("yanked-pkg", "1.0", old, yanked=True),
            wheel_entry("yanked-pkg", "1.1", old + DAY, yanked="broken build")], ["1.0", "1.1"])),
        "quarantined-pkg": (json_type, pep691("quarantined-pkg", [], ["0.1"],
                                              {"status": "quarantined", "reason": "malware report"})),
        "archived-pkg": (json_type, pep691("archived-pkg", [wheel_entry("archived-pkg", "3.0", old)], ["3.0"],
                                           {"status": "archived"})),
        "oldhtml": ("text/html", html_status),
    }


@dataclass
class StaticIndex:
    url: str
    requests: list[str] = field(default_factory=list)
    """Paths asked for, in order."""


@pytest.fixture(scope="session")
def static_index() -> Iterator[StaticIndex]:
    """A stdlib HTTP server on 127.0.0.1 answering ``/simple/<name>/`` from :func:`static_pages` (404 otherwise),
    and ``/private/simple/<name>/`` the same for HTTP Basic ``user:s3cret`` only (401 otherwise).

    Pages are served gzip-compressed when the client accepts it, as PyPI does.
    """
    pages = static_pages(time.time())
    index = StaticIndex("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the http.server API
            index.requests.append(self.path)
            path = self.path
            if path.startswith("/private/"):  # the same pages, for user:s3cret only
                if self.headers.get("Authorization") != "Basic " + base64.b64encode(b"user:s3cret").decode():
                    self.send_error(401)
                    return
                path = path.removeprefix("/private")
            name = path.removeprefix("/simple/").strip("/")
            if not path.startswith("/simple/") or name not in pages:
                self.send_error(404)
                return
            content_type, body = pages[name]
            encoding = "gzip" if "gzip" in self.headers.get("Accept-Encoding", "") else None
            if encoding:
                body = gzip.compress(body)
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    class Server(ThreadingHTTPServer):
        request_queue_size = 64  # the default 5 drops SYNs of parallel clients: 1 s retransmission delays

    server = Server(("127.0.0.1", 0), Handler)
    index.url = f"http://127.0.0.1:{server.server_address[1]}/simple/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield index
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def silent_index() -> Iterator[str]:
    """An index URL whose server accepts connections (in the kernel backlog) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/simple/"


@pytest.fixture
def closed_index() -> str:
    """An index URL on a port where nothing listens (connection refused)."""
    return f"http://127.0.0.1:{free_port()}/simple/"


@pytest.fixture
def local_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No proxy between the client and 127.0.0.1, and a fresh user cache directory for every test."""
    for variable in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "PIP_INDEX_URL", "PIP_CONFIG_FILE"):
        monkeypatch.delenv(variable, raising=False)
    for variable in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(variable, "127.0.0.1,localhost")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
