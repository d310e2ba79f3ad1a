"""Signing time by key backend (PKCS#12 file vs PKCS#11 token on SoftHSM2) and the long-term
upgrade (B-T → B-LTA: OCSP, CRL and a document timestamp), on a 150-item record; prints figures,
asserts none.

    .venv/bin/python bench/bench_signing.py          # 5 runs each
    BENCH_RUNS=10 .venv/bin/python bench/bench_signing.py

Needs Debian's softhsm2 for the PKCS#11 rows. The PKI is the tests' local one: certomancer's CA,
OCSP responder, CRL repository and TSA served over HTTP on 127.0.0.1, so the network part is
loopback only; a real TSA/OCSP responder adds its own round trips.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

RUNS = int(os.environ.get("BENCH_RUNS", 5))


def _timed(fn, runs: int) -> tuple[list[float], list[float], object]:
    walls, cpus, result = [], [], None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return walls, cpus, result


def _row(label: str, walls: list[float], cpus: list[float], floor: float | None) -> str:
    p50 = statistics.median(walls)
    ratio = f"{p50 / floor:5.2f}x render" if floor else ""
    return (
        f"{label:<38} p50 {p50 * 1000:7.1f} ms  max {max(walls) * 1000:7.1f} ms  "
        f"CPU {statistics.median(cpus) * 1000:7.1f} ms  {ratio}"
    )


def main() -> None:
    import django

    django.setup()
    from pyhanko.sign import timestamps

    from inspections.pdf import ltv
    from inspections.pdf.render import render_record
    from inspections.pdf.samples import sample_context
    from inspections.pdf.signers import SignerConfig
    from inspections.pdf.signing import open_signing_identity, sign_pdf
    from tests import local_pki

    directory = Path(tempfile.mkdtemp(prefix="bench-signing-"))
    pki, server = local_pki.start_local_pki(
        directory, datetime.now(UTC), signer_days=365, revoked_after_days=None, short_tsa_days=60
    )
    ctx = sample_context(items=150, photos=0)
    render_record(sample_context(items=2))  # warm fonts and templates, as a worker is
    render_walls, render_cpus, rendered = _timed(lambda: render_record(ctx), RUNS)
    floor = statistics.median(render_walls)
    print(f"record: 150 items, {rendered.page_count} pages; {RUNS} runs each")
    print(_row("render (the floor)", render_walls, render_cpus, None))

    def sign_with(identity, tsa_url=""):
        return sign_pdf(
            rendered.pdf,
            box=rendered.signature_box,
            verification_code=ctx.verification_code,
            identity=identity,
            tsa_url=tsa_url,
        )

    p12 = pki.write_pkcs12("signer", directory / "signer.p12", b"bench")
    with open_signing_identity(SignerConfig(p12_path=str(p12), p12_passphrase="bench")) as ident:
        sign_with(ident)
        walls, cpus, _ = _timed(lambda: sign_with(ident), RUNS)
        print(_row("sign B-B, PKCS#12", walls, cpus, floor))
        walls, cpus, signed_bt = _timed(lambda: sign_with(ident, pki.tsa_url()), RUNS)
        print(_row("sign B-T, PKCS#12 (+ local TSA)", walls, cpus, floor))

    module = local_pki.softhsm_module()
    if module is None:
        print("sign B-B, PKCS#11 (SoftHSM2)          skipped: apt-get install softhsm2")
    else:
        conf = directory / "softhsm2.conf"
        (directory / "tokens").mkdir()
        conf.write_text(f"directories.tokendir = {directory / 'tokens'}\n")
        os.environ["SOFTHSM2_CONF"] = str(conf)
        local_pki.init_token(
            token_label="BENCH", pin="1234", key_label="k",
            key_pem_path=directory / "signer.key.pem",
        )  # fmt: skip
        local_pki.import_certificates(
            module, token_label="BENCH", pin="1234",
            certs=[("k", pki.cert("signer")), ("root", pki.root)],
        )  # fmt: skip
        config = SignerConfig(
            backend="pkcs11", pkcs11_module=module, pkcs11_token_label="BENCH",
            pkcs11_key_label="k", pkcs11_pin="1234",
        )  # fmt: skip
        walls, cpus, _ = _timed(lambda: _open_and_sign(config, sign_with), RUNS)
        print(_row("open token + sign B-B, PKCS#11", walls, cpus, floor))
        with open_signing_identity(config) as ident:
            walls, cpus, _ = _timed(lambda: sign_with(ident), RUNS)
            print(_row("sign B-B, PKCS#11 (session open)", walls, cpus, floor))

    timestamper = timestamps.HTTPTimeStamper(pki.tsa_url())
    walls, cpus, lta = _timed(
        lambda: ltv.make_long_term(signed_bt.pdf, timestamper=timestamper, trust_roots=[pki.root]),
        RUNS,
    )
    print(_row("upgrade B-T → B-LTA (OCSP, CRL, TSA)", walls, cpus, floor))
    print(f"sizes: B-T {len(signed_bt.pdf):,} bytes, B-LTA {len(lta.pdf):,} bytes")
    server.shutdown()


def _open_and_sign(config, sign_with):
    from inspections.pdf.signing import open_signing_identity

    with open_signing_identity(config) as ident:
        return sign_with(ident)


if __name__ == "__main__":
    import logging

    logging.disable(logging.WARNING)
    main()
