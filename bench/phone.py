"""The phone's side of bench_app.py: camera pictures, and what the bench runs in the app's page."""

from __future__ import annotations

from pathlib import Path


def wait_until(page, expression: str, timeout: float = 30000, polling: float = 100) -> None:
    """Poll a JavaScript expression with page.evaluate every ``polling`` ms: the app's CSP
    forbids the string evaluation that Playwright's wait_for_function performs inside the page."""
    waited = 0.0
    while not page.evaluate(expression):
        if waited >= timeout:
            raise TimeoutError(f"still false after {timeout:.0f} ms: {expression}")
        page.wait_for_timeout(polling)
        waited += polling


def camera_photos(folder: Path, count: int) -> list[Path]:
    """Phone-camera pictures: 4000×3000 JPEG (12 MP) with noise, so each weighs a few MB."""
    from PIL import Image

    base = Image.merge(
        "RGB",
        [
            Image.radial_gradient("L").resize((4000, 3000)),
            Image.linear_gradient("L").resize((4000, 3000)),
            Image.linear_gradient("L").rotate(90).resize((4000, 3000)),
        ],
    )
    paths = []
    for n in range(count):
        noise = Image.effect_noise((4000, 3000), 24 + n).convert("RGB")
        image = Image.blend(base, noise, 0.35)
        exif = Image.Exif()
        exif[0x8769] = {0x9003: f"2026:11:30 09:{n:02d}:00"}
        path = folder / f"camera-{n:02d}.jpg"
        image.save(path, "JPEG", quality=92, exif=exif)
        paths.append(path)
    return paths


# Records when the app says it is ready (body[data-ready]), relative to navigation start.
READY_PROBE = """
new MutationObserver((_, observer) => {
  if (document.body && document.body.dataset.ready === '1' && !window.__readyAt) {
    window.__readyAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
"""

RENDER_CHECKLIST = """
async ([id, count]) => {
  location.hash = `#/i/${id}`;
  await new Promise((r) => { const t = setInterval(() => { if (!document.querySelector('#view .item') && document.querySelector('#view h2')) { clearInterval(t); r(); } }, 5); });
  const t0 = performance.now();
  location.hash = `#/i/${id}/check`;
  await new Promise((resolve) => {
    const done = () => document.querySelectorAll('#view .item').length === count;
    if (done()) return resolve();
    new MutationObserver((_, o) => { if (done()) { o.disconnect(); resolve(); } })
      .observe(document.getElementById('view'), { childList: true });
  });
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0;
}
"""
