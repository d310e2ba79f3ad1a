"""A development PKI for tests that sign records (a pytest plugin of tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspections.management.commands.create_dev_signing_cert import create_development_pki

PASSPHRASE = "test-signing-passphrase"


@pytest.fixture(scope="session")
def dev_pki(tmp_path_factory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("signing")
    p12, ca = directory / "signer.p12", directory / "ca.pem"
    create_development_pki(p12, ca, PASSPHRASE.encode())
    return {"p12": p12, "ca": ca, "dir": directory}


@pytest.fixture
def signing_settings(settings, dev_pki) -> dict[str, Path]:
    settings.SIGNING_P12_PATH = str(dev_pki["p12"])
    settings.SIGNING_P12_PASSPHRASE = PASSPHRASE
    settings.SIGNING_TRUST_ROOTS = [str(dev_pki["ca"])]
    settings.SIGNING_TSA_URL = ""
    return dev_pki
