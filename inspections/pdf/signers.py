"""Where signing keys live: a PKCS#12 file, or a PKCS#11 token or HSM.

A backend is chosen by configuration (settings for the deployment's default signer, an
``AuthoritySigner`` row for an authority with its own key). Secrets never sit in the database:
a row names the environment variable or the file that holds the PIN or passphrase.
A remote signing service (Cloud Signature Consortium API) plugs in as a third backend that
yields pyHanko's ``CSCSigner``: see docs/signing.md.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .errors import SigningConfigurationError

PKCS12 = "pkcs12"
PKCS11 = "pkcs11"
BACKENDS = (PKCS12, PKCS11)


@dataclass(frozen=True)
class SignerConfig:
    """Everything needed to open one signer; secrets already resolved from env or file."""

    backend: str = PKCS12
    label: str = "default"  # for messages: the authority or "default"
    p12_path: str = ""
    p12_passphrase: str = ""
    pkcs11_module: str = ""
    pkcs11_token_label: str = ""
    pkcs11_key_label: str = ""
    pkcs11_cert_label: str = ""
    pkcs11_pin: str = ""


def read_secret(*, value: str = "", env_name: str = "", file_path: str = "") -> str:
    """A secret given directly, through an environment variable, or in a file (first wins).

    A file is what container orchestrators mount for secrets; its trailing newline is dropped.
    """
    if value:
        return value
    if env_name:
        found = os.environ.get(env_name, "")
        if not found:
            raise SigningConfigurationError(f"Environment variable {env_name} is empty or unset.")
        return found
    if file_path:
        path = Path(file_path)
        if not path.is_file():
            raise SigningConfigurationError(f"Secret file {path} does not exist.")
        return path.read_text(encoding="utf-8").rstrip("\r\n")
    return ""


def default_signer_config() -> SignerConfig:
    """The deployment's signer, from settings (SIGNING_KEY_BACKEND and its SIGNING_* variables)."""
    backend = settings.SIGNING_KEY_BACKEND
    if backend not in BACKENDS:
        raise SigningConfigurationError(
            f"SIGNING_KEY_BACKEND={backend!r}: expected one of {', '.join(BACKENDS)}."
        )
    if backend == PKCS12:
        return SignerConfig(
            backend=PKCS12,
            p12_path=settings.SIGNING_P12_PATH,
            p12_passphrase=settings.SIGNING_P12_PASSPHRASE,
        )
    return SignerConfig(
        backend=PKCS11,
        pkcs11_module=settings.SIGNING_PKCS11_MODULE,
        pkcs11_token_label=settings.SIGNING_PKCS11_TOKEN_LABEL,
        pkcs11_key_label=settings.SIGNING_PKCS11_KEY_LABEL,
        pkcs11_cert_label=settings.SIGNING_PKCS11_CERT_LABEL,
        pkcs11_pin=read_secret(
            value=settings.SIGNING_PKCS11_PIN, file_path=settings.SIGNING_PKCS11_PIN_FILE
        ),
    )


@contextlib.contextmanager
def open_signer(config: SignerConfig) -> Iterator[object]:
    """Yield a pyHanko ``Signer`` for the configuration; token sessions are closed afterwards."""
    if config.backend == PKCS12:
        from .signing import load_signing_identity

        yield load_signing_identity(config.p12_path, config.p12_passphrase).signer
    elif config.backend == PKCS11:
        with _pkcs11_signer(config) as signer:
            yield signer
    else:
        raise SigningConfigurationError(f"Unknown signing backend {config.backend!r}.")


@contextlib.contextmanager
def _pkcs11_signer(config: SignerConfig) -> Iterator[object]:
    missing = [
        name
        for name, value in (
            ("module", config.pkcs11_module),
            ("token label", config.pkcs11_token_label),
            ("key label", config.pkcs11_key_label),
            ("PIN", config.pkcs11_pin),
        )
        if not value
    ]
    if missing:
        raise SigningConfigurationError(
            f"PKCS#11 signer {config.label}: missing {', '.join(missing)}."
        )
    if not Path(config.pkcs11_module).is_file():
        raise SigningConfigurationError(
            f"PKCS#11 module {config.pkcs11_module} does not exist (SIGNING_PKCS11_MODULE)."
        )
    from pkcs11 import PKCS11Error
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    try:
        session = open_pkcs11_session(
            config.pkcs11_module,
            token_criteria=TokenCriteria(label=config.pkcs11_token_label),
            user_pin=config.pkcs11_pin,
        )
    except (PKCS11Error, SigningError, OSError, ValueError) as exc:
        raise SigningConfigurationError(
            f"Cannot open PKCS#11 token {config.pkcs11_token_label!r}: {type(exc).__name__} {exc}"
        ) from exc
    try:
        yield PKCS11Signer(
            session,
            key_label=config.pkcs11_key_label,
            cert_label=config.pkcs11_cert_label or config.pkcs11_key_label,
            # The token holds the chain too when the authority imported it; pull every cert so
            # the signature embeds the chain, as the PKCS#12 path does.
            other_certs_to_pull=None,
        )
    finally:
        session.close()
