"""The quality report works offline and an officer can read it: Great Expectations' Data
Docs with their scripts and styles bundled (quality.docs_assets), and one page per agency
in Vietnamese (quality.agency_pages). Checked on the site the session's `cchc run` wrote,
and the Data Docs opened in headless Chromium with no network."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from conftest import ROOT, Built
from test_dashboard import driver  # noqa: F401 (the shared headless Chromium)

from cchc.dashboard.fmt import format_value
from quality import docs_assets
from quality.agency_pages import slug

ASSET_REF = re.compile(
    r"<(script|img|link|iframe|source)\b[^>]*?\b(src|href)\s*=\s*[\"']([^\"']+)[\"']",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def site(built: Built) -> Path:
    return (built.output_dir / "reports" / "quality").resolve()


def _pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10, "the site has no validation pages"
    return pages


def test_no_page_loads_anything_from_the_internet(site: Path) -> None:
    external, broken = [], []
    for page in _pages(site):
        for tag, _, ref in ASSET_REF.findall(page.read_text(encoding="utf-8")):
            if re.match(r"(?i)https?:|//", ref):
                external.append(f"{page.relative_to(site)}: <{tag}> {ref}")
            elif not ref.startswith(("data:", "#")) and not (page.parent / ref).exists():
                broken.append(f"{page.relative_to(site)}: <{tag}> {ref}")
    assert external == []
    assert broken == []  # every local reference is a file of the site


def test_the_bundled_assets_are_the_pinned_packages(site: Path) -> None:
    vendor = site / docs_assets.VENDOR
    for spec, inner in docs_assets.ASSET_URLS.values():
        assert (vendor / spec.replace("/", "+") / inner).is_file(), (spec, inner)
    # font awesome's stylesheet finds its fonts beside it
    fonts = vendor / "@fortawesome+fontawesome-free@6.6.0" / "webfonts"
    assert sorted(p.suffix for p in fonts.iterdir()) and (fonts / "fa-solid-900.woff2").is_file()


def test_data_docs_draw_offline_with_their_scripts(site: Path, driver) -> None:  # noqa: F811
    page = next(p for p in _pages(site) if "validations" in p.parts)
    driver.get(page.as_uri())
    loaded = driver.execute_script(
        "return [typeof jQuery, typeof jQuery.fn.bootstrapTable, typeof jQuery.fn.modal,"
        " getComputedStyle(document.body).fontFamily]"
    )
    assert loaded[:3] == ["function", "function", "function"], loaded


def test_the_officers_pages_show_each_finding_in_words(site: Path, built: Built) -> None:
    index = site / "co-quan" / "index.html"
    assert index.is_file()
    assert 'href="co-quan/index.html"' in (site / "index.html").read_text(encoding="utf-8")
    validation = next(p for p in _pages(site) if "validations" in p.parts)
    depth = len(validation.relative_to(site).parts) - 1
    assert f'href="{"../" * depth}co-quan/index.html"' in validation.read_text(encoding="utf-8")
    findings = built.query(
        """
        select agency_key, agency_name_vi, rule_label_vi, severity_label_vi, reported_value,
               expected_value, unit_code, source_lines, file_path, period_label_vi
        from marts.rpt_dashboard_findings
        """
    )
    assert findings
    listing = index.read_text(encoding="utf-8")
    for key, agency, rule, severity, reported, expected, unit, lines, file_path, period in findings:
        page = site / "co-quan" / f"{slug(agency, key)}.html"
        assert f'href="{page.name}"' in listing
        text = page.read_text(encoding="utf-8")
        for shown in (rule, severity, format_value(reported, unit), lines, file_path, period):
            if shown:
                assert _esc(shown) in text, (page.name, shown)
        assert _esc(format_value(expected, unit)) in text
    # reports not sent, in words, on the index
    for (agency,) in built.query(
        "select agency_name_vi from quality.report_coverage where coverage_status = 'missing'"
    ):
        assert _esc(agency) in listing
    assert "Chưa gửi" not in listing or "Cơ quan chưa gửi báo cáo" in listing


def _esc(text: str) -> str:
    from html import escape

    return escape(str(text))


# ---------------------------------------------------------------- pure parts


def test_rewrite_page_makes_known_assets_local_and_drops_unknown_ones(tmp_path: Path) -> None:
    page = (
        '<link href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css" '
        'rel="stylesheet"><script src="https://cdn.jsdelivr.net/npm/vega@5"></script>'
        '<script src="https://evil.example/x.js"></script>'
        '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/'
        'logo-long.png?d=20261202T063520Z"><a href="https://greatexpectations.io">GX</a>'
    )
    text, count, removed = docs_assets.rewrite_page(page, tmp_path / "a" / "b", tmp_path, True)
    assert 'href="../../static/vendor/bootstrap@4.3.1/dist/css/bootstrap.min.css"' in text
    assert 'src="../../static/vendor/vega@5.33.1/build/vega.min.js"' in text
    assert 'src="../../static/images/logo-long.png"' in text
    assert count == 3 and len(removed) == 1 and "evil.example" in removed[0]
    assert "evil.example" not in text
    assert '<a href="https://greatexpectations.io">' in text  # a link is not an asset
    # without the fetched assets: nothing external stays either
    bare, _, gone = docs_assets.rewrite_page(page, tmp_path, tmp_path, False)
    assert not re.search(r"<(script|link)[^>]+https?://", bare) and len(gone) == 3


def test_a_tarball_with_other_bytes_is_refused(tmp_path: Path) -> None:
    package = docs_assets.PACKAGES[0]
    with pytest.raises(docs_assets.AssetError, match="not the pinned one"):
        docs_assets.unpack(b"not the package", package, tmp_path)
    assert not (tmp_path / package.folder).exists()


def test_every_code_shown_to_officers_has_a_vietnamese_label() -> None:
    with (ROOT / "seeds" / "code_labels.csv").open(encoding="utf-8") as handle:
        labels = {(r["code_set"], r["code"]) for r in csv.DictReader(handle)}
    with (ROOT / "seeds" / "reporting_rules.csv").open(encoding="utf-8") as handle:
        rules = list(csv.DictReader(handle))
    wanted = {("severity", r["severity"]) for r in rules}
    wanted |= {("rule_family", r["rule_family"]) for r in rules}
    kinds = set()
    for source in (ROOT / "ingest").glob("*.py"):
        text = source.read_text(encoding="utf-8")
        kinds |= set(re.findall(r'\bkind = "(\w+)"', text)) if source.name == "errors.py" else set()
        kinds |= set(re.findall(r'\b(?:error_)?kind="(\w+)"', text))
    assert {"unsupported_format", "layout", "run_failed"} <= kinds
    wanted |= {("ingest_error_kind", k) for k in kinds}
    assert wanted - labels == set()


def test_screenshots_of_the_quality_report(site: Path, driver, tmp_path: Path) -> None:  # noqa: F811
    """The officers' pages and a Data Docs page as drawn offline; `make screenshots` keeps
    them in docs/screenshots/."""
    import os

    target = Path(os.environ.get("CCHC_SCREENSHOT_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    agency = next(p for p in sorted((site / "co-quan").glob("*.html")) if p.name != "index.html")
    validation = next(p for p in _pages(site) if "rule_eval_ratio" in p.name)
    for name, page in (
        ("quality-co-quan-index.png", site / "co-quan" / "index.html"),
        ("quality-co-quan-agency.png", agency),
        ("quality-data-docs-offline.png", validation),
    ):
        driver.set_window_size(1300, 1000)
        driver.get(page.as_uri())
        shot = target / name
        driver.save_screenshot(str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert shot.stat().st_size > 20_000, f"{shot}: blank?"
