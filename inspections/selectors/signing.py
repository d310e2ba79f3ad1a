"""Which key signs an authority's records: its own (AuthoritySigner) or the deployment's default."""

from __future__ import annotations

from accounts.models import Authority
from inspections.models import AuthoritySigner
from inspections.pdf.signers import SignerConfig, default_signer_config, read_secret


def signer_config_for(authority: Authority | None) -> SignerConfig:
    """The authority's own enabled signer, else the deployment's (settings SIGNING_*)."""
    row = (
        AuthoritySigner.objects.filter(authority=authority, enabled=True).first()
        if authority is not None
        else None
    )
    if row is None:
        return default_signer_config()
    secret = read_secret(env_name=row.secret_env, file_path=row.secret_file)
    if row.backend == AuthoritySigner.Backend.PKCS12:
        return SignerConfig(
            backend=row.backend, label=str(authority), p12_path=row.p12_path, p12_passphrase=secret
        )
    return SignerConfig(
        backend=row.backend,
        label=str(authority),
        pkcs11_module=row.pkcs11_module,
        pkcs11_token_label=row.pkcs11_token_label,
        pkcs11_key_label=row.pkcs11_key_label,
        pkcs11_cert_label=row.pkcs11_cert_label,
        pkcs11_pin=secret,
    )
