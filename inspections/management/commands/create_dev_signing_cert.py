"""Create a development CA and a signer PKCS#12 so that a fresh checkout signs records at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inspections.pdf.signing import SigningConfigurationError, load_signing_identity

CA_NAME = "PCCC Inspect DEVELOPMENT CA – NOT FOR PRODUCTION"
SIGNER_NAME = "PCCC Inspect DEVELOPMENT signer – NOT FOR PRODUCTION"
UNIT = "KHÔNG DÙNG CHO SẢN XUẤT"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "PCCC Inspect (DEVELOPMENT)"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, UNIT),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def create_development_pki(p12_path: Path, ca_path: Path, passphrase: bytes) -> None:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(CA_NAME))
        .issuer_name(_name(CA_NAME))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(SIGNER_NAME))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: pyHanko checks it for signers
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        name=b"pccc-dev-signer",
        key=key,
        cert=cert,
        cas=[ca_cert],  # the chain travels with the key and is embedded in every signature
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase),
    )
    p12_path.parent.mkdir(parents=True, exist_ok=True)
    ca_path.parent.mkdir(parents=True, exist_ok=True)
    p12_path.write_bytes(p12)
    p12_path.chmod(0o600)
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))


class Command(BaseCommand):
    help = (
        "Create a DEVELOPMENT certificate authority and signer (PKCS#12) at SIGNING_P12_PATH and "
        "the first SIGNING_TRUST_ROOTS path. Never use them in production. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Replace an existing development key and CA."
        )

    def handle(self, *args, force: bool = False, **options):
        p12_path = Path(settings.SIGNING_P12_PATH)
        if not settings.SIGNING_TRUST_ROOTS:
            raise CommandError("SIGNING_TRUST_ROOTS is empty: nowhere to write the CA.")
        ca_path = Path(settings.SIGNING_TRUST_ROOTS[0])
        passphrase = settings.SIGNING_P12_PASSPHRASE.encode()

        if p12_path.exists() and ca_path.exists() and not force:
            try:
                identity = load_signing_identity(p12_path, passphrase)
            except SigningConfigurationError as exc:
                raise CommandError(f"{exc} Use --force to replace it.") from exc
            if not identity.is_development:
                raise CommandError(
                    f"{p12_path} holds a non-development certificate; refusing to touch it."
                )
            self.stdout.write(f"Development signing certificate already present: {p12_path}")
            return
        if p12_path.exists() and not force:
            raise CommandError(f"{p12_path} exists but {ca_path} does not; use --force.")
        if p12_path.exists():
            try:
                if not load_signing_identity(p12_path, passphrase).is_development:
                    raise CommandError(f"{p12_path} is not a development certificate.")
            except SigningConfigurationError:
                pass  # unreadable with our passphrase: a broken development file
        create_development_pki(p12_path, ca_path, passphrase)
        self.stdout.write(
            self.style.WARNING(
                f"Created DEVELOPMENT CA {ca_path} and signer {p12_path} "
                "(NOT FOR PRODUCTION / KHÔNG DÙNG CHO SẢN XUẤT)."
            )
        )
