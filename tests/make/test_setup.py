"""make setup where uv cannot download: behind a TLS proxy whose CA only pip is told about.

The setup recipe runs in a scratch copy of the Makefile, against a package index of the
test's own on loopback, over HTTPS with a certificate from a CA of the test's own (as a
company's TLS-intercepting proxy presents). pip trusts that CA (PIP_CERT, as a company
configures pip); uv, which reads the system's store, does not: setup falls back to pip,
says so in one line, and pip installs the pins. Offline: the index serves a wheel the test
builds, and uv's cache is empty so that it must download.
"""

from __future__ import annotations

import functools
import os
import shutil
import ssl
import sys
import sysconfig
import threading
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.installing import UV, run
from tests.openapi_document import REPO_ROOT

PROBE = "setup-probe"
PROBE_VERSION = "1.0"


def openssl(*args: str | Path, cwd: Path) -> None:
    run("openssl", *args, cwd=cwd)


def company_ca_and_server_certificate(folder: Path) -> tuple[Path, Path, Path]:
    """A CA, and a certificate it signed for 127.0.0.1 with its key: what a TLS proxy shows."""
    days, rsa = "2", "rsa:2048"
    subject = "/CN=Company TLS proxy CA"
    openssl("req", "-x509", "-newkey", rsa, "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", days, "-subj", subject, cwd=folder)  # fmt: skip
    openssl("req", "-newkey", rsa, "-nodes", "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=127.0.0.1", cwd=folder)  # fmt: skip
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n", encoding="utf-8")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", days, "-extfile", "san.ext",
            cwd=folder)  # fmt: skip
    return folder / "ca.pem", folder / "server.pem", folder / "server.key"


def probe_wheel(folder: Path) -> Path:
    """A one-module wheel, setup-probe 1.0: the pin that the scratch setup installs."""
    name = PROBE.replace("-", "_")
    info = f"{name}-{PROBE_VERSION}.dist-info"
    files = {
        f"{name}.py": "INSTALLED = True\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {PROBE}\nVersion: {PROBE_VERSION}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: the kit's tests\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    files[f"{info}/RECORD"] = "".join(f"{path},,\n" for path in [*files, f"{info}/RECORD"])
    wheel = folder / f"{name}-{PROBE_VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return wheel


class QuietHandler(SimpleHTTPRequestHandler):
    requested: list[str]

    def log_message(self, format: str, *args: object) -> None:
        """Quiet; the index remembers who asked for what instead."""
        self.requested.append(f"{self.headers.get('User-Agent', '').split('/')[0]} {self.path}")


@pytest.fixture
def company_index(tmp_path: Path) -> Iterator[tuple[str, Path, list[str]]]:
    """A simple package index on loopback, behind the company CA's certificate: its URL, the
    CA's file and the requests it got (`<client> <path>`)."""
    ca, certificate, key = company_ca_and_server_certificate(tmp_path)
    index = tmp_path / "index"
    project = index / "simple" / PROBE
    project.mkdir(parents=True)
    wheel = probe_wheel(project)
    (project / "index.html").write_text(f'<a href="{wheel.name}">{wheel.name}</a>\n')
    requested: list[str] = []
    handler = type("Handler", (QuietHandler,), {"requested": requested})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=index))
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(certificate, key)
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_port}/simple/", ca, requested
    finally:
        server.shutdown()
        server.server_close()


def scratch_kit(root: Path) -> Path:
    """The Makefile with a kit of one pin (the probe) and two empty editable projects."""
    root.mkdir()
    for name in ("Makefile", "package.json"):  # the Makefile reads Node's version there
        shutil.copy(REPO_ROOT / name, root / name)
    (root / "requirements.txt").write_text(f"{PROBE}=={PROBE_VERSION}\n", encoding="utf-8")
    for project, name in ((root, "scratch-kit"), (root / "generated" / "octave-client", "client")):
        project.mkdir(parents=True, exist_ok=True)
        (project / "pyproject.toml").write_text(
            '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
            f'[project]\nname = "{name}"\nversion = "0"\n[tool.setuptools]\npy-modules = []\n',
            encoding="utf-8",
        )
    return root


def test_setup_falls_back_to_pip_where_uv_cannot_download(
    tmp_path: Path, company_index: tuple[str, Path, list[str]]
) -> None:
    url, ca, requested = company_index
    kit = scratch_kit(tmp_path / "kit")
    # The venv that setup makes, made first to hold the pinned uv (setup keeps what is there)
    # behind a stand-in that records its arguments.
    bin_dir = kit / ".venv" / "bin"
    run(sys.executable, "-m", "venv", "--without-pip", kit / ".venv")
    uv_calls = kit / "uv-calls"
    (bin_dir / "uv").write_text(f'#!/bin/sh\necho "$@" >> {uv_calls}\nexec {UV} "$@"\n')
    (bin_dir / "uv").chmod(0o755)
    # The installers' settings and any CA bundle named in the environment are the test's own.
    ours = ("PIP_", "UV_", "SSL_CERT_", "REQUESTS_CA_", "CURL_CA_", "PYTHON")
    env = {name: value for name, value in os.environ.items() if not name.startswith(ours)}
    env |= {
        "UV_INDEX_URL": url,
        "UV_CACHE_DIR": str(tmp_path / "empty-uv-cache"),
        "PIP_INDEX_URL": url,
        "PIP_CERT": str(ca),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_CACHE_DIR": "1",
        # The kit's setuptools builds the editable installs: the index has none, and the one
        # ensurepip brings to Python 3.11 wants the `wheel` package besides.
        "PYTHONPATH": sysconfig.get_path("purelib"),
    }
    completed = run(
        "make", "--no-print-directory", ".venv/bin/.installed", f"PYTHON={sys.executable}",
        cwd=kit, env=env,
    )  # fmt: skip
    output = completed.stdout + completed.stderr
    assert [line for line in completed.stderr.splitlines() if line.startswith("setup: ")] == [
        "setup: uv could not install the pins (invalid peer certificate: UnknownIssuer;"
        " all of it in .venv/uv-setup.log); installing with pip instead"
    ], output
    assert "--system-certs" in uv_calls.read_text(encoding="utf-8").split()
    wheel = f"{PROBE.replace('-', '_')}-{PROBE_VERSION}-py3-none-any.whl"
    assert requested == [f"pip /simple/{PROBE}/", f"pip /simple/{PROBE}/{wheel}"]
    installed = run(bin_dir / "python", "-c", "import setup_probe; print(setup_probe.INSTALLED)")
    assert installed.stdout == "True\n"
    assert (bin_dir / ".installed").exists()
