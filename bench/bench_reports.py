"""Render-only and render+sign times of PC03 minutes by size, and of PC04 reports; prints figures,
asserts none. PC03 states its page count by a CSS cross-reference: one layout.

    .venv/bin/python bench/bench_reports.py                # 20/150/400 items x 0/20/60 photos
    BENCH_RUNS=3 .venv/bin/python bench/bench_reports.py   # fewer repetitions
    BENCH_ITEMS=150 BENCH_PHOTOS=20 .venv/bin/python bench/bench_reports.py   # the target size

Each size runs in a fresh process so that its peak RSS is its own; its first render and first
signature (fonts, templates, the stamp font subset) are reported apart from the steady state.
Photos are 1600x1200 JPEGs (about 600 KB each, like a phone photo after the app's resize),
reduced to print size once as at upload (that CPU time is printed apart); citations are real
provisions of Law 55/2024/QH15, quoted once in the record's annex. Signing uses a throw-away
development PKI with the visible DejaVu stamp (B-B, no timestamp authority), as the worker does;
its floor is the bare render of the same record, measured in the same process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

RUNS = int(os.environ.get("BENCH_RUNS", 5))
ITEMS = tuple(int(x) for x in os.environ.get("BENCH_ITEMS", "20,150,400").split(","))
PHOTOS = tuple(int(x) for x in os.environ.get("BENCH_PHOTOS", "0,20,60").split(","))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(q) - 1]


def _one_size(items: int, photos: int, pki_dir: str, runs: int, queue) -> None:
    import django

    django.setup()
    from inspections.pdf.photos import print_ready_jpeg
    from inspections.pdf.render import render_record
    from inspections.pdf.samples import sample_context, sample_photo_jpeg
    from inspections.pdf.signing import load_signing_identity, sign_pdf

    identity = load_signing_identity(Path(pki_dir) / "signer.p12", "bench")
    ctx = sample_context(items=items, photos=photos)
    # First-call costs, reported apart: fonts and templates, the stamp font subset (a worker
    # pays them once), and the print-size photo made when each photo is uploaded.
    c0 = time.process_time()
    small = sample_context(items=2)
    warm = render_record(small)
    c1 = time.process_time()
    sign_pdf(
        warm.pdf,
        box=warm.signature_box,
        verification_code=small.verification_code,
        identity=identity,
        tsa_url="",
    )
    c2 = time.process_time()
    phone = [sample_photo_jpeg(n) for n in range(photos)]
    c3 = time.process_time()
    for data in phone:
        print_ready_jpeg(data)
    upload_cpu = (time.process_time() - c3) / photos if photos else 0.0
    render_times, sign_times, sizes, pages = [], [], [], 0
    render_cpu, sign_cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        rendered = render_record(ctx)
        t1, c1 = time.perf_counter(), time.process_time()
        signed = sign_pdf(
            rendered.pdf,
            box=rendered.signature_box,
            verification_code=ctx.verification_code,
            identity=identity,
            tsa_url="",
        )
        t2, c2 = time.perf_counter(), time.process_time()
        render_times.append(t1 - t0)
        sign_times.append(t2 - t1)
        render_cpu.append(c1 - c0)
        sign_cpu.append(c2 - c1)
        sizes.append(len(signed.pdf))
        pages = rendered.page_count
    queue.put(
        {
            "items": items,
            "photos": photos,
            "pages": pages,
            "render": render_times,
            "sign": sign_times,
            "total": [r + s for r, s in zip(render_times, sign_times, strict=True)],
            "render_cpu": statistics.median(render_cpu),
            "sign_cpu": statistics.median(sign_cpu),
            "first_render_cpu": c1 - c0,
            "first_sign_cpu": c2 - c1,
            "upload_cpu": upload_cpu,
            "size": statistics.median(sizes),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )


PC04_FINDINGS = tuple(int(x) for x in os.environ.get("BENCH_PC04_FINDINGS", "10,100").split(","))


def _pc04(findings: int, pki_dir: str, runs: int, queue) -> None:
    import django

    django.setup()
    from inspections.pdf.forms import render_form
    from inspections.pdf.samples import sample_pc04_context
    from inspections.pdf.signing import load_signing_identity, sign_pdf

    identity = load_signing_identity(Path(pki_dir) / "signer.p12", "bench")
    ctx = sample_pc04_context(findings=findings)
    render_form(sample_pc04_context(findings=1))  # warm up
    render_times, total_times, pages = [], [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        rendered = render_form(ctx)
        t1 = time.perf_counter()
        sign_pdf(
            rendered.pdf,
            box=rendered.signature_box,
            verification_code=ctx.verification_code,
            identity=identity,
            tsa_url="",
        )
        render_times.append(t1 - t0)
        total_times.append(time.perf_counter() - t0)
        pages = rendered.page_count
    queue.put({"findings": findings, "pages": pages, "render": render_times, "total": total_times})


def main() -> None:
    import django

    django.setup()
    from inspections.management.commands.create_dev_signing_cert import create_development_pki

    with tempfile.TemporaryDirectory() as pki_dir:
        create_development_pki(Path(pki_dir) / "signer.p12", Path(pki_dir) / "ca.pem", b"bench")
        ctx = mp.get_context("spawn")
        print(
            f"{RUNS} runs per size on {os.cpu_count()} CPUs (load average "
            f"{os.getloadavg()[0]:.1f} at start); times in seconds "
            "(render = HTML→PDF/A-3b, sign = PAdES with visible stamp)\n\nPC03 minutes\n"
        )
        header = (
            f"{'items':>5} {'photos':>6} {'pages':>5} | {'render p50':>10} {'p95':>6} | "
            f"{'+sign p50':>9} {'p95':>6} | {'sign p50':>8} {'ratio':>6} | "
            f"{'CPU render':>10} {'sign':>5} {'ratio':>6} | {'MB':>5} {'peak RSS':>9}"
        )
        print(header)
        print("-" * len(header))
        first: list[str] = []
        for items in ITEMS:
            for photos in PHOTOS:
                queue = ctx.Queue()
                proc = ctx.Process(target=_one_size, args=(items, photos, pki_dir, RUNS, queue))
                proc.start()
                r = queue.get()
                proc.join()
                render50 = _pct(r["render"], 50)
                sign50 = _pct(r["sign"], 50)
                print(
                    f"{items:>5} {photos:>6} {r['pages']:>5} | {render50:>10.2f} "
                    f"{_pct(r['render'], 95):>6.2f} | {_pct(r['total'], 50):>9.2f} "
                    f"{_pct(r['total'], 95):>6.2f} | {sign50:>8.3f} {sign50 / render50:>6.1%} | "
                    f"{r['render_cpu']:>10.2f} {r['sign_cpu']:>5.2f} "
                    f"{r['sign_cpu'] / r['render_cpu']:>6.1%} | "
                    f"{r['size'] / 1e6:>5.1f} {r['peak_rss_mb']:>7.0f}MB",
                    flush=True,
                )
                first.append(
                    f"{items:>5} {photos:>6} | first render {r['first_render_cpu']:.2f} s, "
                    f"first sign {r['first_sign_cpu']:.2f} s CPU; print-size photo at upload "
                    f"{r['upload_cpu'] * 1000:.0f} ms CPU each"
                )
        print("\nFirst calls in a fresh process (not in the figures above)")
        print("\n".join(first))
        print("\nPC04 report (render = HTML→PDF/A-3b; + sign = with the PAdES signature)\n")
        header4 = f"{'findings':>8} {'pages':>5} | {'render p50':>10} {'p95':>6} | {'+sign p50':>9}"
        print(header4)
        print("-" * len(header4))
        for findings in PC04_FINDINGS:
            queue = ctx.Queue()
            proc = ctx.Process(target=_pc04, args=(findings, pki_dir, RUNS, queue))
            proc.start()
            r = queue.get()
            proc.join()
            print(
                f"{findings:>8} {r['pages']:>5} | {_pct(r['render'], 50):>10.2f} "
                f"{_pct(r['render'], 95):>6.2f} | {_pct(r['total'], 50):>9.2f}",
                flush=True,
            )
        print(
            "\nratio = signing time / render time (p50). CPU = median process CPU seconds "
            "(robust to a loaded machine). MB = signed file size. Load average at end "
            f"{os.getloadavg()[0]:.1f}."
        )


if __name__ == "__main__":
    main()
