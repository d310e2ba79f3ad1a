"""Copies the pinned npm libraries (app, and the portal's map) into the app's static folder, and checks them against the lock.

``make vendor`` runs ``npm ci`` then ``python -m fieldapp.vendoring``; the copies are committed
so ``make run`` and ``make test`` need Python only. ``VENDORED.json`` records, per library, the
version and integrity from ``package-lock.json`` and the SHA-256 of each copied file, which is
what ``tests/fieldapp/test_vendor.py`` compares.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "fieldapp" / "static" / "fieldapp" / "vendor"
RECORD = VENDOR_DIR / "VENDORED.json"

# package → [(file inside the package, name in the vendor folder)]: ES modules where the
# package ships one, else its browser build (tus-js-client sets ``window.tus``).
FILES: dict[str, list[tuple[str, str]]] = {
    "idb": [("build/index.js", "idb.js")],
    "tus-js-client": [("dist/tus.min.js", "tus.min.js")],
    "signature_pad": [("dist/signature_pad.js", "signature_pad.js")],
    "browser-image-compression": [
        ("dist/browser-image-compression.mjs", "browser-image-compression.mjs")
    ],
    # Test tool (devDependencies): the accessibility checks of the browser tests inject it.
    "axe-core": [("axe.min.js", "axe.min.js")],
    # The manager dashboard's map (portal); its CSS names the images, so they come along.
    "leaflet": [
        ("dist/leaflet.js", "leaflet/leaflet.js"),
        ("dist/leaflet.css", "leaflet/leaflet.css"),
        *(
            (f"dist/images/{n}", f"leaflet/images/{n}")
            for n in ("layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png")
        ),
        ("dist/images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
    ],
}
# Packages whose copies go elsewhere than the app's static folder (never served).
DESTINATIONS: dict[str, Path] = {"axe-core": ROOT / "tests" / "e2e" / "vendor"}


def target_dir(name: str) -> Path:
    return DESTINATIONS.get(name, VENDOR_DIR)


def locked_packages() -> dict[str, dict[str, str]]:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    return {
        name: {
            "version": lock["packages"][f"node_modules/{name}"]["version"],
            "integrity": lock["packages"][f"node_modules/{name}"]["integrity"],
        }
        for name in FILES
    }


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# The source maps are not vendored; a comment pointing at one would make the production static
# storage (ManifestStaticFilesStorage) fail collectstatic looking for it.
SOURCE_MAP_COMMENT = re.compile(rb"\n?//# sourceMappingURL=[^\n]*")


def copy_without_source_map(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(SOURCE_MAP_COMMENT.sub(b"", source.read_bytes()))


def vendor() -> dict:
    modules = ROOT / "node_modules"
    record: dict = {}
    for name, locked in locked_packages().items():
        installed = json.loads((modules / name / "package.json").read_text())["version"]
        if installed != locked["version"]:
            raise SystemExit(f"{name}: node_modules has {installed}, the lock {locked['version']}")
        files = {}
        folder = target_dir(name)
        folder.mkdir(parents=True, exist_ok=True)
        for source, target in FILES[name]:
            copy_without_source_map(modules / name / source, folder / target)
            files[target] = sha256_of(folder / target)
        licence = next(modules.joinpath(name).glob("LICEN[CS]E"), None) or next(
            modules.joinpath(name).glob("LICEN[CS]E*"), None
        )
        if licence is not None:
            shutil.copyfile(licence, folder / f"{name}.LICENSE.txt")
        record[name] = {**locked, "files": files}
    RECORD.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    return record


if __name__ == "__main__":
    VENDOR_DIR.mkdir(parents=True, exist_ok=True)
    for name, entry in vendor().items():
        sys.stdout.write(f"{name} {entry['version']}: {', '.join(entry['files'])}\n")
