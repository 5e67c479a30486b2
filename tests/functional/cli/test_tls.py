"""TLS: verification is on by default, a self-signed endpoint is refused with one line,
``--os-cacert`` makes it work and ``--insecure`` works with a warning.

The identity endpoint is an HTTPS proxy in front of gc-simulator, with a certificate
made in the test (the ``cryptography`` package, else the ``openssl`` command).
"""

from __future__ import annotations

import datetime
import ipaddress
import shutil
import ssl
import subprocess
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.functional.gcrun import gc

WARNING = (
    "WARNING: TLS certificate verification is disabled (--insecure): "
    "the connection can be intercepted\n"
)


def make_certificate(directory: Path) -> tuple[str, str]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        if not shutil.which("openssl"):
            pytest.skip("neither the cryptography package nor openssl is available")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True,
        )  # fmt: skip
        return str(cert), str(key)
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert), str(key)


class TlsProxy:
    """HTTPS in front of the simulator's identity endpoint."""

    def __init__(self, upstream: str, cert: str, key: str) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                request = urllib.request.Request(
                    upstream + self.path, data=data, method=self.command, headers=headers
                )
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        status, reply, body = response.status, response.headers, response.read()
                except urllib.error.HTTPError as exc:
                    status, reply, body = exc.code, exc.headers, exc.read()
                self.send_response(status)
                for name, value in reply.items():
                    if name.lower() not in ("content-length", "connection", "date", "server"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_DELETE = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def tls(simulator, tmp_path_factory):
    cert, key = make_certificate(tmp_path_factory.mktemp("tls"))
    proxy = TlsProxy(simulator.url, cert, key)
    try:
        yield proxy, cert
    finally:
        proxy.close()


def test_self_signed_endpoint_is_refused_by_default(simulator, tls):
    proxy, _ = tls
    result = gc(simulator, "show", "vm", env={"OS_AUTH_URL": f"{proxy.url}/v3"})
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("ERROR: TLS verification failed: ")
    assert result.err.endswith(" (use --os-cacert, or --insecure to skip it)\n")
    assert result.err.count("\n") == 1 and "Traceback" not in result.err


def test_the_right_ca_bundle_is_accepted(simulator, tls):
    proxy, cert = tls
    server = simulator.boot("tls-vm")
    result = gc(
        simulator,
        "--os-cacert",
        cert,
        "show",
        server["id"],
        "-f",
        "value",
        "-c",
        "name",
        env={"OS_AUTH_URL": f"{proxy.url}/v3"},
    )
    assert (result.code, result.out, result.err) == (0, "tls-vm\n", "")


def test_insecure_works_and_warns(simulator, tls):
    proxy, _ = tls
    server = simulator.boot("tls-insecure")
    result = gc(
        simulator,
        "--insecure",
        "show",
        server["id"],
        "-f",
        "value",
        "-c",
        "name",
        env={"OS_AUTH_URL": f"{proxy.url}/v3"},
    )
    assert result.code == 0
    assert result.out == "tls-insecure\n"
    assert result.err == WARNING


def test_insecure_from_the_environment_warns_too(simulator, tls):
    proxy, _ = tls
    result = gc(
        simulator, "show", "no-such-vm", env={"OS_AUTH_URL": f"{proxy.url}/v3", "OS_INSECURE": "1"}
    )
    assert result.err.startswith(WARNING)
    assert result.err.endswith("ERROR: No server with a name or ID of 'no-such-vm' exists.\n")
