"""Errors of the record pipeline, importable without loading WeasyPrint or pyHanko."""


class SigningConfigurationError(RuntimeError):
    """The key, passphrase or certificate chain cannot be used: an operator must act."""
