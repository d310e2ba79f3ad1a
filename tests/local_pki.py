"""A real local PKI for signature tests: certomancer's CA with OCSP, CRL and RFC 3161 time-stamping
services served over HTTP on 127.0.0.1 (as pyHanko's own tests do), and a SoftHSM2 token."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KEYS = ("root", "signer", "signer2", "ocsp", "tsa", "tsa_short")
ARCH = "pccc-test"
SOFTHSM_MODULE_CANDIDATES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
)


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _key_usage(*usages: str) -> dict:
    return {"id": "key_usage", "critical": True,
            "smart-value": {"schema": "key-usage", "params": list(usages)}}  # fmt: skip


def _revocation_sources() -> list[dict]:
    return [
        {"id": "crl_distribution_points",
         "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": ["root"]}}},
        {"id": "authority_information_access",
         "smart-value": {"schema": "aia-urls", "params": {"ocsp-responder-names": ["root"]}}},
    ]  # fmt: skip


def pki_config(now: datetime, *, signer_days: int, revoked_after_days: int | None,
               short_tsa_days: int) -> dict:  # fmt: skip
    """The PKI: a root CA, two signers (the second one revoked later), an OCSP responder, a
    long-lived TSA and a short-lived one (to exercise archival timestamp renewal)."""
    signer = {
        "issuer": "root",
        "validity": {
            "valid-from": _when(now - timedelta(days=1)),
            "valid-to": _when(now + timedelta(days=signer_days)),
        },  # fmt: skip
        "extensions": [_key_usage("digital_signature", "non_repudiation"), *_revocation_sources()],
    }
    signer2 = {**signer, "subject": "signer2", "subject-key": "signer2"}
    if revoked_after_days is not None:
        signer["revocation"] = {
            "revoked-since": _when(now + timedelta(days=revoked_after_days)),
            "reason": "key_compromise",
        }
    tsa_ext = [_key_usage("digital_signature"),
               {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
               _revocation_sources()[0]]  # fmt: skip
    return {
        "keysets": {ARCH: {"keys": {k: {"path": f"{k}.key.pem"} for k in KEYS}}},
        "pki-architectures": {
            ARCH: {
                "keyset": ARCH,
                "entity-defaults": {"country-name": "VN", "organization-name": "UBND Phường Thử"},
                "entities": {
                    "root": {"common-name": "PCCC Test Root CA"},
                    "signer": {"common-name": "Nguyễn Văn Ký"},
                    "signer2": {"common-name": "Lê Thị Hai", "organization-name": "UBND Xã Khác"},
                    "ocsp": {"common-name": "PCCC Test OCSP"},
                    "tsa": {"common-name": "PCCC Test TSA"},
                    "tsa_short": {"common-name": "PCCC Test TSA (short)"},
                },
                "certs": {
                    "root": {
                        "subject": "root", "issuer": "root", "subject-key": "root",
                        "authority-key": "root",
                        "validity": {"valid-from": "2000-01-01T00:00:00+0000",
                                     "valid-to": "2100-01-01T00:00:00+0000"},
                        "extensions": [
                            {"id": "basic_constraints", "critical": True, "value": {"ca": True}},
                            _key_usage("digital_signature", "key_cert_sign", "crl_sign"),
                        ],
                    },
                    "signer": signer,
                    "signer2": signer2,
                    "ocsp": {
                        "issuer": "root",
                        "validity": {"valid-from": "2000-01-01T00:00:00+0000",
                                     "valid-to": "2100-01-01T00:00:00+0000"},
                        "extensions": [
                            _key_usage("digital_signature"),
                            {"id": "extended_key_usage", "critical": True,
                             "value": ["ocsp_signing"]},
                            {"id": "ocsp_no_check"},
                        ],
                    },
                    "tsa": {
                        "issuer": "root",
                        "validity": {"valid-from": "2000-01-01T00:00:00+0000",
                                     "valid-to": "2100-01-01T00:00:00+0000"},
                        "extensions": tsa_ext,
                    },
                    "tsa_short": {
                        "issuer": "root",
                        "validity": {"valid-from": _when(now - timedelta(days=1)),
                                     "valid-to": _when(now + timedelta(days=short_tsa_days))},
                        "extensions": tsa_ext,
                    },
                },
                "services": {
                    "ocsp": {"root": {"for-issuer": "root", "responder-cert": "ocsp",
                                      "signing-key": "ocsp"}},
                    "crl-repo": {"root": {"for-issuer": "root", "signing-key": "root",
                                          "simulated-update-schedule": "P7D"}},
                    "time-stamping": {
                        "tsa": {"signing-key": "tsa", "signing-cert": "tsa"},
                        "tsa_short": {"signing-key": "tsa_short", "signing-cert": "tsa_short"},
                    },
                },
            }
        },
    }  # fmt: skip


@dataclass
class LocalPki:
    arch: object
    base_url: str
    directory: Path

    def cert(self, label: str):
        return self.arch.get_cert(label)

    def key(self, label: str):
        return self.arch.key_set.get_private_key(label)

    @property
    def root(self):
        return self.cert("root")

    def tsa_url(self, label: str = "tsa") -> str:
        return f"{self.base_url}/{ARCH}/tsa/{label}"

    def simple_signer(self, label: str = "signer"):
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        return signers.SimpleSigner(
            signing_cert=self.cert(label),
            signing_key=self.key(label),
            cert_registry=SimpleCertificateStore.from_certs([self.root]),
        )

    def key_pem(self, label: str) -> bytes:
        return (self.directory / f"{label}.key.pem").read_bytes()

    def write_pkcs12(self, label: str, path: Path, passphrase: bytes) -> Path:
        """The signer's key, certificate and the root in a PKCS#12 file, as a CA delivers it."""
        from cryptography import x509 as cx509
        from cryptography.hazmat.primitives.serialization import pkcs12

        key = serialization.load_pem_private_key(self.key_pem(label), password=None)
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                name=label.encode(),
                key=key,
                cert=cx509.load_der_x509_certificate(self.cert(label).dump()),
                cas=[cx509.load_der_x509_certificate(self.root.dump())],
                encryption_algorithm=serialization.BestAvailableEncryption(passphrase),
            )
        )
        return path


def _write_keys(directory: Path) -> None:
    for label in KEYS:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (directory / f"{label}.key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )


def start_local_pki(directory: Path, now: datetime, **kwargs) -> tuple[LocalPki, object]:
    """Build the PKI and serve its OCSP/CRL/TSA endpoints on a free port; returns the server."""
    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from certomancer.registry import CertomancerConfig
    from werkzeug.serving import make_server

    _write_keys(directory)
    server = make_server("127.0.0.1", 0, lambda env, start: app(env, start), threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    config = CertomancerConfig(
        pki_config(now, **kwargs), key_search_dir=str(directory), external_url_prefix=base_url
    )
    arch = config.get_pki_arch(ARCH)
    app = Animator(AnimatorArchStore({ARCH: arch}), with_web_ui=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return LocalPki(arch=arch, base_url=base_url, directory=directory), server


@pytest.fixture(scope="session")
def local_pki(tmp_path_factory):
    """Signer valid 30 days and revoked after 2; long-lived TSA; a TSA whose cert ends in 60."""
    pki, server = start_local_pki(
        tmp_path_factory.mktemp("pki"),
        datetime.now(UTC),
        signer_days=30,
        revoked_after_days=2,
        short_tsa_days=60,
    )
    yield pki
    server.shutdown()


def softhsm_module() -> str | None:
    return next((p for p in SOFTHSM_MODULE_CANDIDATES if Path(p).is_file()), None)


@dataclass
class SoftHsmToken:
    module: str
    token_label: str
    pin: str
    key_label: str


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory):
    """One SoftHSM2 token store for the session (SOFTHSM2_CONF points at it).

    Session-wide because a PKCS#11 library is initialised once per process and keeps the
    configuration it started with; tests use token labels of their own.
    """
    module = softhsm_module()
    if module is None or shutil.which("softhsm2-util") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("SoftHSM2 is not installed (Debian package softhsm2; .ci/run installs it)")
        pytest.skip("SoftHSM2 is not installed (apt-get install softhsm2)")
    directory = tmp_path_factory.mktemp("softhsm")
    tokens = directory / "tokens"
    tokens.mkdir()
    conf = directory / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    yield module
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


def init_token(*, token_label: str, pin: str, key_label: str, key_pem_path: Path) -> None:
    """Initialise a token and import the private key with softhsm2-util, as an authority's
    officer does with the token's own tools."""
    so_pin = "87654321"
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", token_label,
         "--so-pin", so_pin, "--pin", pin],
        check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        ["softhsm2-util", "--import", str(key_pem_path), "--token", token_label,
         "--label", key_label, "--id", "01", "--pin", pin],
        check=True, capture_output=True,
    )  # fmt: skip


def import_certificates(module: str, *, token_label: str, pin: str, certs: list) -> None:
    """Store the certificates on the token through PKCS#11 (SoftHSM2's tool imports keys only).

    A PKCS#11 library sees only the tokens that existed when the process first loaded it, so
    every token is initialised before the first call here.
    """
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    token = pkcs11.lib(module).get_token(token_label=token_label)
    with token.open(rw=True, user_pin=pin) as session:
        for index, (label, cert) in enumerate(certs):
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: label,
                    Attribute.ID: bytes([index + 1]),
                    Attribute.VALUE: cert.dump(),
                    Attribute.SUBJECT: cert.subject.dump(),
                }
            )


TOKEN_PIN = "246810"
TOKEN_KEY_LABEL = "record-signing"


@pytest.fixture(scope="session")
def hsm_tokens(softhsm, local_pki) -> dict[str, SoftHsmToken]:
    """Two authorities' tokens: "hk" holds signer's key, "khac" signer2's; each with the root."""
    labels = {"hk": ("PCCC-HK", "signer"), "khac": ("PCCC-KHAC", "signer2")}
    for token_label, signer in labels.values():
        init_token(token_label=token_label, pin=TOKEN_PIN, key_label=TOKEN_KEY_LABEL,
                   key_pem_path=local_pki.directory / f"{signer}.key.pem")  # fmt: skip
    tokens = {}
    for name, (token_label, signer) in labels.items():
        import_certificates(
            softhsm,
            token_label=token_label,
            pin=TOKEN_PIN,
            certs=[(TOKEN_KEY_LABEL, local_pki.cert(signer)), ("root", local_pki.root)],
        )
        tokens[name] = SoftHsmToken(softhsm, token_label, TOKEN_PIN, TOKEN_KEY_LABEL)
    return tokens
