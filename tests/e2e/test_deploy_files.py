"""The files docs/deploy.md shows, exercised: the systemd units pass `systemd-analyze
verify` with no warning, and the nginx site passes `nginx -t` and then really proxies a
server over TLS, passing on the client's address (not one the client made up) and a
request id, redirecting plain HTTP and hiding /metrics."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import shutil
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.e2e.servers import free_port, server_process

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
HOST = "zfzj.example.gov.cn"


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None:
        pytest.fail(f"{name} is missing (make tools installs it)", pytrace=False)
    return found


def test_the_systemd_units_verify_without_a_warning(tmp_path: Path) -> None:
    officer_cert = Path(sys.executable).parent / "officer-cert"
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        text = unit.read_text().replace(
            "/opt/officer-cert/.venv/bin/officer-cert", str(officer_cert)
        )
        (tmp_path / unit.name).write_text(text)
        units.append(str(tmp_path / unit.name))
    assert len(units) == 5
    verified = subprocess.run(
        [tool("systemd-analyze"), "verify", "--man=no", *units],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert verified.returncode == 0, verified.stderr
    problems = [line for line in verified.stderr.splitlines() if str(tmp_path) in line]
    assert problems == [], problems


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.DNSName(HOST), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        ), critical=False)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    chain, private = directory / "fullchain.pem", directory / "privkey.pem"
    chain.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption())
    )  # fmt: skip
    return chain, private


def site(tmp_path: Path, upstream: str, http_port: int, https_port: int) -> Path:
    """deploy/nginx/officer-cert.conf with this machine's ports, certificate and upstream,
    inside a minimal nginx.conf of the test's own."""
    chain, private = self_signed(tmp_path)
    text = (DEPLOY / "nginx" / "officer-cert.conf").read_text()
    lines = [line for line in text.splitlines() if "[::]" not in line]  # no IPv6 needed here
    text = "\n".join(lines)
    servers = [line for line in lines if line.strip().startswith("server 10.")]
    assert servers, "the upstream lists the app hosts"
    for line in servers:
        text = text.replace(line, f"    server {upstream};", 1)
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    text = text.replace("/etc/ssl/officer-cert/fullchain.pem", str(chain))
    text = text.replace("/etc/ssl/officer-cert/privkey.pem", str(private))
    (tmp_path / "officer-cert.conf").write_text(text)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        "http {\n"
        + "".join(f"  {kind}_temp_path {tmp_path}/{kind};\n"
                  for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + f"  include {tmp_path}/officer-cert.conf;\n}}\n"
    )  # fmt: skip
    return main


def test_nginx_site_passes_nginx_t_and_proxies_with_tls_and_the_clients_address(
    tmp_path: Path,
) -> None:
    nginx = tool("nginx")
    http_port, https_port = free_port(), free_port()
    logs = {"LOG_FORMAT": "json", "LOG_LEVEL": "info"}
    with server_process(tmp_path / "data", apart=True, **logs) as server:
        conf = site(tmp_path, server.base.removeprefix("http://"), http_port, https_port)
        checked = subprocess.run(
            [nginx, "-t", "-p", str(tmp_path), "-c", str(conf)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert checked.returncode == 0, checked.stderr
        proxy = subprocess.Popen(
            [nginx, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            trusted = ssl.create_default_context(cafile=str(tmp_path / "fullchain.pem"))
            https = httpx.Client(base_url=f"https://127.0.0.1:{https_port}", verify=trusted,
                                 headers={"Host": HOST}, timeout=10)  # fmt: skip
            deadline = time.monotonic() + 10
            while True:
                try:
                    health = https.get("/health", headers={"X-Forwarded-For": "6.6.6.6"})
                    break
                except httpx.ConnectError:
                    assert time.monotonic() < deadline, "nginx did not listen"
                    time.sleep(0.1)
            assert health.status_code == 200 and health.json()["status"] == "ok"
            request_id = health.headers["x-request-id"]
            assert len(request_id) == 32  # nginx's $request_id, carried through
            assert https.get("/metrics").status_code == 404
            plain = httpx.get(f"http://127.0.0.1:{http_port}/verify", headers={"Host": HOST})
            assert plain.status_code == 308
            assert plain.headers["location"] == f"https://{HOST}/verify"
        finally:
            proxy.terminate()
            proxy.wait(timeout=10)
    assert server.stderr_path is not None
    lines = [json.loads(line) for line in server.stderr_path.read_text().splitlines()]
    (seen,) = [line for line in lines if line.get("request_id") == request_id]
    assert seen["client"] == "127.0.0.1"  # the proxy's word for it, not the client's "6.6.6.6"
