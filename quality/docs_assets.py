"""Great Expectations' Data Docs, made to work offline: the scripts, styles and fonts
its pages load from CDNs, fetched once at install from the npm registry (pinned versions
and integrity hashes), copied into the site and referenced locally.

``python -m quality.docs_assets fetch DIR`` (run by ``make install``) fills DIR;
``bundle_site(site, DIR)`` (run by ``cchc check``) copies DIR into the site's
``static/vendor/`` and rewrites every page's asset references to it. An external asset
reference the table below does not know is removed (and counted), so a page never
reaches the internet; the test proves none is left on the sample warehouse's site.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    integrity: str  # the registry's sha512 of the tarball (`npm pack --json`)
    files: tuple[str, ...]  # paths inside the package to keep (a folder keeps all below)

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def folder(self) -> str:
        return self.spec.replace("/", "+")


PACKAGES: tuple[NpmPackage, ...] = (
    NpmPackage(
        "jquery",
        "3.7.1",
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        ("dist/jquery.min.js",),
    ),
    NpmPackage(
        "bootstrap",
        "4.3.1",
        "sha512-rXqOmH1VilAt2DyPzluTi2blhk17bO7ef+zLLPlWvG494pDxcM234pJ8wTc/6R40UWizAIIMgxjvxZg5kmsbag==",
        ("dist/js/bootstrap.min.js", "dist/css/bootstrap.min.css"),
    ),
    NpmPackage(
        "popper.js",
        "1.12.9",
        "sha512-s0EEi9xiSCdqz9lV4IiVH5yIZnDX/U1t0tCjB+0jXx9jW8lrR7kOpVupiUg175ogqVoudpDXHF1p6dKATCHMeg==",
        ("dist/umd/popper.min.js",),
    ),
    NpmPackage(
        "bootstrap-table",
        "1.19.1",
        "sha512-WvV+l1AI/C+zThaKmfHmi/IuayVNB0qdFyEhFx1jyZhO0oLtNJNANkCR3rvJf6Dkh72dsLElxpE/bzK9seEQLA==",
        (
            "dist/bootstrap-table.min.js",
            "dist/bootstrap-table.min.css",
            "dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
        ),
    ),
    NpmPackage(
        "bootstrap-table",
        "1.19.0",
        "sha512-L+USHm3X9FKocx/6yngGu12yF6r6s1Ntuc+hoIK2a2QQJjHw5kcySLiE2HY/9sEaSGAOfPbfQOtBH3uKkcpqEA==",
        (
            "dist/extensions/filter-control/bootstrap-table-filter-control.css",
            "dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
        ),
    ),
    NpmPackage(
        "bootstrap-datepicker",
        "1.9.0",
        "sha512-9rYYbaVOheGYxjOr/+bJCmRPihfy+LkLSg4fIFMT9Od8WwWB/MB50w0JO1eBgKUMbb7PFHQD5uAfI3ArAxZRXA==",
        ("dist/js/bootstrap-datepicker.min.js", "dist/css/bootstrap-datepicker.min.css"),
    ),
    NpmPackage(
        "@fortawesome/fontawesome-free",
        "6.6.0",
        "sha512-60G28ke/sXdtS9KZCpZSHHkCbdsOGEhIUGlwq6yhY74UpTiToIh8np7A8yphhM4BWsvNFtIvLpi4co+h9Mr9Ow==",
        ("css/all.min.css", "webfonts"),  # the stylesheet loads ../webfonts/*
    ),
    NpmPackage(
        "@forevolve/bootstrap-dark",
        "1.1.0",
        "sha512-A3ucpEpxPoTVO490lZZCfjPXxv832l7mm1IxX3bXyxvgwnPGXDLyh7dWrphXKO8YBAu3EswbBEu3VSW8NRMW3A==",
        ("dist/css/bootstrap-prefers-dark.css",),
    ),
    NpmPackage(
        "vega",
        "5.33.1",
        "sha512-1fArfVDUqVbb5z8n+/nVQb+VNBzx8svY6CrsyTK4Ujm4yrd9I1auoKxBAPXLCavY1LcrbHUskQbGUP8gXOzyQw==",
        ("build/vega.min.js",),
    ),
    NpmPackage(
        "vega-lite",
        "5.23.0",
        "sha512-l4J6+AWE3DIjvovEoHl2LdtCUkfm4zs8Xxx7INwZEAv+XVb6kR6vIN1gt3t2gN2gs/y4DYTs/RPoTeYAuEg6mA==",
        ("build/vega-lite.min.js",),
    ),
    NpmPackage(
        "vega-embed",
        "6.29.0",
        "sha512-PmlshTLtLFLgWtF/b23T1OwX53AugJ9RZ3qPE2c01VFAbgt3/GSNI/etzA/GzdrkceXFma+FDHNXUppKuM0U6Q==",
        ("build/vega-embed.min.js",),
    ),
)

# the URL GX's templates write (great_expectations 1.24.1) → (package, file inside it)
ASSET_URLS: dict[str, tuple[str, str]] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery@3.7.1", "dist/jquery.min.js"),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
        "bootstrap@4.3.1",
        "dist/js/bootstrap.min.js",
    ),
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap@4.3.1",
        "dist/css/bootstrap.min.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        "popper.js@1.12.9",
        "dist/umd/popper.min.js",
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table@1.19.1",
        "dist/bootstrap-table.min.js",
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table@1.19.1",
        "dist/bootstrap-table.min.css",
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.js": (
        "bootstrap-table@1.19.1",
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.css": (
        "bootstrap-table@1.19.0",
        "dist/extensions/filter-control/bootstrap-table-filter-control.css",
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.css": (
        "bootstrap-table@1.19.0",
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/"
    "bootstrap-datepicker.min.js": (
        "bootstrap-datepicker@1.9.0",
        "dist/js/bootstrap-datepicker.min.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/"
    "bootstrap-datepicker.min.css": (
        "bootstrap-datepicker@1.9.0",
        "dist/css/bootstrap-datepicker.min.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "@fortawesome/fontawesome-free@6.6.0",
        "css/all.min.css",
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/"
    "bootstrap-prefers-dark.css": (
        "@forevolve/bootstrap-dark@1.1.0",
        "dist/css/bootstrap-prefers-dark.css",
    ),
    "https://cdn.jsdelivr.net/npm/vega@5": ("vega@5.33.1", "build/vega.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-lite@5": ("vega-lite@5.23.0", "build/vega-lite.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-embed@6": ("vega-embed@6.29.0", "build/vega-embed.min.js"),
}
# GX's logo from its web-assets bucket (with a cache-busting query): the copy in the site
LOGO_URL = re.compile(
    r"https://great-expectations-web-assets\.[^\"'\s>]*?/logo-long\.png[^\"'\s>]*"
)
LOGO_LOCAL = "static/images/logo-long.png"
VENDOR = "static/vendor"
# an element that loads something from the internet: a script, stylesheet, image or frame
EXTERNAL_ASSET = re.compile(
    r"<(script|img|iframe|source|link)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?https?://[^>]*>"
    r"(?:\s*</script>)?",
    re.IGNORECASE,
)
STAMP = ".fetched.json"
VENDOR_TAG = re.compile(r"<(?:script|link)\b[^>]*static/vendor/[^>]*>", re.IGNORECASE)
SRI_ATTRIBUTE = re.compile(
    r"""\s(?:integrity|crossorigin)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?"""
)
LOCAL_STATIC_REF = re.compile(r"""((?:src|href)\s*=\s*["'])([^"']*static/[^"']*)(["'])""")


class AssetError(RuntimeError):
    """A package could not be fetched, or its bytes are not the pinned ones."""


def sri_sha512(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def _keep(member: str, files: tuple[str, ...]) -> bool:
    inner = member.removeprefix("package/")
    return any(inner == f or inner.startswith(f.rstrip("/") + "/") for f in files)


def unpack(tarball: bytes, package: NpmPackage, dest: Path) -> list[Path]:
    """The package's kept files from its npm tarball into dest/<name@version>/."""
    if sri_sha512(tarball) != package.integrity:
        raise AssetError(
            f"{package.spec}: the tarball's sha512 is not the pinned one — the registry "
            "served other bytes; check quality/docs_assets.py PACKAGES"
        )
    target = dest / package.folder
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "package.tgz"
        archive.write_bytes(tarball)
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                if not member.isfile() or not _keep(member.name, package.files):
                    continue
                inner = Path(member.name.removeprefix("package/"))
                if inner.is_absolute() or ".." in inner.parts:
                    raise AssetError(f"{package.spec}: unsafe path {member.name} in the tarball")
                out = target / inner
                out.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None
                out.write_bytes(source.read())
                written.append(out)
    missing = [f for f in package.files if not (target / f).exists()]
    if missing:
        raise AssetError(f"{package.spec}: the package has no {', '.join(missing)}")
    return written


def fetch(dest: Path, npm: str = "npm") -> Path:
    """Every package from the npm registry (``npm pack``), checked and unpacked into dest.
    Does nothing when dest already holds this exact set."""
    wanted = {p.spec: p.integrity for p in PACKAGES}
    stamp = dest / STAMP
    if stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")) == wanted:
        return dest
    if shutil.which(npm) is None:
        raise AssetError(f"{npm} is not installed: Data Docs' assets come from the npm registry")
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [npm, "pack", "--silent", "--json", "--pack-destination", tmp]
            + [p.spec for p in PACKAGES],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise AssetError(f"npm pack failed: {done.stderr.strip()[-500:]}")
        packed = {entry["id"]: entry["filename"] for entry in json.loads(done.stdout)}
        for package in PACKAGES:
            unpack((Path(tmp) / packed[package.spec]).read_bytes(), package, dest)
    stamp.write_text(json.dumps(wanted, indent=1), encoding="utf-8")
    return dest


def assets_ready(assets: Path) -> bool:
    stamp = assets / STAMP
    return stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")) == {
        p.spec: p.integrity for p in PACKAGES
    }


@dataclass(frozen=True)
class BundleSummary:
    pages: int
    rewritten: int  # references now local
    removed: tuple[str, ...]  # external references with no local copy, taken out
    assets_bundled: bool


def rewrite_page(text: str, page_dir: Path, site: Path, bundled: bool) -> tuple[str, int, list]:
    """One page's asset references → the site's local copies (pure but for paths)."""
    to_root = Path(os.path.relpath(site, page_dir)).as_posix()
    count = 0

    def local(path: str) -> str:
        return f"{to_root}/{path}" if to_root != "." else path

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        url = match.group(2)
        spec, inner = ASSET_URLS[url]
        count += 1
        folder = spec.replace("/", "+")
        return f"{match.group(1)}{local(f'{VENDOR}/{folder}/{inner}')}{match.group(3)}"

    if bundled:
        known = "|".join(re.escape(u) for u in sorted(ASSET_URLS, key=len, reverse=True))
        text = re.sub(rf"""((?:src|href)\s*=\s*["'])({known})(["'])""", swap, text)
        # a CDN tag's integrity/crossorigin make the browser refuse a file:// copy
        text = VENDOR_TAG.sub(lambda m: SRI_ATTRIBUTE.sub("", m.group(0)), text)
    text, logos = LOGO_URL.subn(local(LOGO_LOCAL), text)

    def repair(match: re.Match[str]) -> str:
        """GX writes some links to its own static/ one folder too shallow."""
        nonlocal count
        ref = match.group(2)
        if re.match(r"(?i)[a-z]+:|//|#", ref) or (page_dir / ref).exists():
            return match.group(0)
        fixed = local(ref[ref.index("static/") :])
        if not (page_dir / fixed).exists():
            return match.group(0)
        count += 1
        return f"{match.group(1)}{fixed}{match.group(3)}"

    text = LOCAL_STATIC_REF.sub(repair, text)
    count += logos
    removed = [m.group(0)[:160] for m in EXTERNAL_ASSET.finditer(text)]
    text = EXTERNAL_ASSET.sub("", text)
    return text, count, removed


def bundle_site(site: Path, assets: Path) -> BundleSummary:
    """Copy the fetched assets into ``site/static/vendor`` and rewrite every page."""
    bundled = assets_ready(assets)
    if bundled:
        shutil.copytree(assets, site / VENDOR, dirs_exist_ok=True)
        (site / VENDOR / STAMP).unlink(missing_ok=True)
    pages = rewritten = 0
    removed: list[str] = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        new, count, gone = rewrite_page(text, page.parent, site, bundled)
        if new != text:
            page.write_text(new, encoding="utf-8")
        pages += 1
        rewritten += count
        removed += gone
    return BundleSummary(pages, rewritten, tuple(removed), bundled)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "fetch":
        print("usage: python -m quality.docs_assets fetch DIR", file=sys.stderr)
        return 2
    try:
        fetch(Path(argv[1]))
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
