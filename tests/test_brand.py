"""The brand of site.yaml: colours checked for contrast, the font shipped with the
site, the home page's picture and the associations' logos made into widths and
formats, and rebuilt when their files change."""

from __future__ import annotations

import io
import re
import shutil
import time
from pathlib import Path

import pytest
from PIL import Image, features

from verbund import colours
from verbund.images import PICTURE_WIDTHS, plan_picture
from verbund.load import load_sources
from verbund.problems import format_text
from verbund.validate import validate

from .conftest import PROJECT, SITE_YAML, tree, write
from .test_dependencies import build, same_as_clean

FONT = PROJECT / "static/fonts/source-sans-3-latin-wght-normal.woff2"

BRAND = """\
brand:
  primary: "#0e4a5c"
  accent: "#a8431a"
  font: fonts/brand.woff2
hero:
  image: brand/hero.jpg
  alt: Felder an der Ems
"""


def picture(path: Path, size: tuple[int, int], colour=(30, 110, 90), fmt="JPEG") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "RGBA" if fmt == "PNG" else "RGB"
    fill = (*colour, 255) if fmt == "PNG" else colour
    Image.new(mode, size, fill).save(path, format=fmt)


@pytest.fixture
def branded(site: Path) -> Path:
    """The test site with colours, a font, a home-page picture and a logo."""
    picture(site / "static/brand/hero.jpg", (1800, 900))
    picture(site / "static/brand/wvs.png", (400, 160), fmt="PNG")
    (site / "static/fonts").mkdir(parents=True)
    shutil.copy(FONT, site / "static/fonts/brand.woff2")
    text = SITE_YAML.replace("    city: Rheine\n", "    city: Rheine\n    logo: brand/wvs.png\n")
    write(site, "site.yaml", text + BRAND)
    return site


def problems_of(site: Path) -> list[str]:
    content, problems = validate(load_sources(site)[0])
    return [format_text(p) for p in problems]


def with_brand(site: Path, brand: str) -> list[str]:
    write(site, "site.yaml", SITE_YAML + brand)
    return problems_of(site)


# -- colours -------------------------------------------------------------------


def test_contrast_follows_wcag():
    assert round(colours.contrast((0, 0, 0), colours.WHITE), 1) == 21.0
    assert round(colours.contrast(colours.parse("#767676"), colours.WHITE), 2) == 4.54
    assert colours.parse("#FFF") == (255, 255, 255)
    assert colours.parse("0b4f8a") == (11, 79, 138)
    assert colours.parse("blue") is None


def test_a_colour_too_light_for_white_text_names_a_darker_shade(site):
    found = with_brand(site, 'brand:\n  primary: "#ffcc00"\n')
    assert found == [
        "site.yaml:16:12: brand.primary: #ffcc00 and white have a contrast of only 1.5:1; "
        'text needs at least 4.5:1 (WCAG AA) (write a darker shade: primary: "#8f7200")'
    ]
    shade = colours.parse("#8f7200")
    assert shade and colours.contrast(shade, colours.WHITE) >= 4.5


def test_the_accent_is_checked_too(site):
    [found] = with_brand(site, 'brand:\n  primary: "#0e4a5c"\n  accent: "#f0a500"\n')
    assert found.startswith("site.yaml:17:11: brand.accent: #f0a500 and white have a contrast")


def test_a_colour_without_quotes_is_read_as_a_comment_and_the_hint_says_so(site):
    found = with_brand(site, "brand:\n  primary: #0e4a5c\n")
    assert found == [
        'site.yaml:16:11: brand.primary: expected a colour like "#0b4f8a" (put it in quotes: '
        "without them YAML reads # as the start of a comment)"
    ]
    [found] = with_brand(site, 'brand:\n  primary: "#0e4a5c"\n  accent: #a8431a\n')
    assert found.startswith('site.yaml:17:10: brand.accent: expected a colour like "#0b4f8a"')


def test_a_colour_that_is_no_colour(site):
    assert with_brand(site, "brand:\n  primary: dunkelblau\n") == [
        'site.yaml:16:12: brand.primary: expected a colour as # and six hex digits, like "#0b4f8a"'
    ]


# -- files ---------------------------------------------------------------------------


def test_missing_files_are_named_at_their_lines(site):
    found = with_brand(
        site,
        'brand:\n  primary: "#0e4a5c"\n  font: fonts/fehlt.woff2\n'
        "hero:\n  image: bilder/fehlt.jpg\n  alt: Ein Bild\n",
    )
    assert found == [
        "site.yaml:17:9: brand.font: there is no file static/fonts/fehlt.woff2 "
        "(put the font file below static/)",
        "site.yaml:19:10: hero.image: there is no file static/bilder/fehlt.jpg "
        "(put the picture below static/)",
    ]


def test_a_font_must_be_woff2(site):
    assert with_brand(site, 'brand:\n  primary: "#0e4a5c"\n  font: fonts/x.ttf\n') == [
        "site.yaml:17:9: brand.font: expected a font file in WOFF2 format, like "
        "'fonts/source-sans-3.woff2'"
    ]
    write(site, "static/fonts/x.woff2", "no font at all")
    assert with_brand(site, 'brand:\n  primary: "#0e4a5c"\n  font: fonts/x.woff2\n') == [
        "site.yaml:17:9: brand.font: the file is not a font in WOFF2 format"
    ]


def test_a_broken_picture_is_a_problem_at_its_line_not_a_traceback(branded):
    (branded / "static/brand/hero.jpg").write_bytes(b"\xff\xd8\xff broken")
    (branded / "static/brand/wvs.png").write_text("not a picture")
    assert problems_of(branded) == [
        "site.yaml:11:11: associations[0].logo: the file is not an image that can be read "
        "(use PNG, JPEG, WebP or GIF)",
        "site.yaml:21:10: hero.image: the file is not an image that can be read "
        "(use PNG, JPEG, WebP or GIF)",
    ]


def test_the_hero_needs_its_alt_text(branded):
    text = (branded / "site.yaml").read_text().replace("  alt: Felder an der Ems\n", "")
    write(branded, "site.yaml", text)
    [found] = problems_of(branded)
    assert found == "site.yaml:21:3: hero.alt: the required field 'alt' is missing"


def test_an_svg_logo_is_used_as_it_is_and_needs_a_size(branded):
    write(branded, "static/brand/wvs.svg", '<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    text = (branded / "site.yaml").read_text().replace("wvs.png", "wvs.svg")
    write(branded, "site.yaml", text)
    assert problems_of(branded) == [
        "site.yaml:11:11: associations[0].logo: the SVG file names no size (give its <svg> "
        'element a viewBox, like viewBox="0 0 240 80")'
    ]
    write(
        branded,
        "static/brand/wvs.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100"><rect width="300" '
        'height="100"/></svg>',
    )
    assert problems_of(branded) == []


# -- the built site ----------------------------------------------------------------


def attributes(html: str, tag: str) -> list[dict[str, str]]:
    return [
        dict(re.findall(r'([\w-]+)="([^"]*)"', match))
        for match in re.findall(rf"<{tag}\b([^>]*)>", html)
    ]


def urls_in(srcset: str) -> list[str]:
    return [part.strip().split(" ")[0] for part in srcset.split(",")]


def test_the_built_site_carries_the_brand(branded, tmp_path):
    output = tmp_path / "out"
    assert build(branded, output) == 0
    home = (output / "index.html").read_text("utf-8")

    # The colours and the font, once, after the stylesheet.
    assert home.count("--primary: #0e4a5c; --accent: #a8431a;") == 1
    assert home.index("static/style.css") < home.index("--primary: #0e4a5c")
    assert '--font: "verbund-brand", var(--system-font)' in home
    assert 'src: url("./static/fonts/brand.woff2") format("woff2"); font-weight: 200 900' in home
    assert (
        '<link rel="preload" href="./static/fonts/brand.woff2" as="font" type="font/woff2" '
        "crossorigin>" in home
    )
    assert (output / "static/fonts/brand.woff2").read_bytes() == FONT.read_bytes()

    # The home page's picture: every format in every width, its size reserved.
    formats = ["avif", "webp", "jpg"] if features.check("avif") else ["webp", "jpg"]
    [hero] = [a for a in attributes(home, "img") if a.get("alt") == "Felder an der Ems"]
    assert (hero["width"], hero["height"]) == ("1600", "800")
    assert "loading" not in hero  # above the fold: not lazy
    assert hero["src"] == "./images/brand/hero-1600.jpg"
    assert urls_in(hero["srcset"]) == [f"./images/brand/hero-{w}.jpg" for w in PICTURE_WIDTHS]
    sources = [a for a in attributes(home, "source") if "hero" in a["srcset"]]
    types = [a["type"] for a in sources]
    assert types == [f"image/{f}" for f in formats[:-1]]
    for fmt in formats:
        for width in PICTURE_WIDTHS:
            data = (output / f"images/brand/hero-{width}.{fmt}").read_bytes()
            with Image.open(io.BytesIO(data)) as image:
                assert image.size == (width, width // 2)
                assert image.format == {"jpg": "JPEG"}.get(fmt, fmt.upper())

    # The logo in the header, the footer and on the association's card, its size reserved.
    logos = [a for a in attributes(home, "img") if "images/brand/wvs-" in a["src"]]
    assert {(a["width"], a["height"]) for a in logos} == {("70", "28"), ("80", "32"), ("140", "56")}
    assert {a["alt"] for a in logos} == {"Wirtschaftsvereinigung Steinfurt", ""}
    term = (output / "verbaende/wvs/index.html").read_text("utf-8")
    assert 'src="../../images/brand/wvs-' in term

    # Nothing from another host: every picture and font is a relative address.
    for page in output.rglob("*.html"):
        html = page.read_text("utf-8")
        for value in re.findall(r'(?:src|srcset|href)="([^"]*)"', html):
            for url in urls_in(value):
                assert not url.startswith("//"), (page, url)
                if url.startswith(("http:", "https:")):
                    assert "<a " in html  # links to other hosts are fine, loads are not
        for value in re.findall(r'(?:src|srcset)="([^"]*)"', html):
            for url in urls_in(value):
                assert not url.startswith(("http:", "https:")), (page, url)
                # The 404 page is served at any depth: its addresses start at the base path.
                file = (
                    output / url[len("/netzwerk/") :] if url.startswith("/") else page.parent / url
                )
                assert file.resolve().is_file(), (page, url)


def test_without_a_brand_the_stylesheets_colours_stay(site, tmp_path):
    output = tmp_path / "out"
    assert build(site, output) == 0
    home = (output / "index.html").read_text("utf-8")
    assert "<style>" not in home and "<picture>" not in home
    assert not (output / "images").exists()


def test_a_logo_never_grows_past_its_file(tmp_path):
    picture(tmp_path / "small.png", (50, 20), fmt="PNG")
    planned = plan_picture(tmp_path / "small.png", "images/small", tmp_path, heights=(48, 96))
    assert {(v.width, v.height) for v in planned.variants} == {(50, 20)}


# -- rebuilds ----------------------------------------------------------------------


def test_a_changed_picture_is_made_again_as_a_clean_build_makes_it(branded, tmp_path):
    output = tmp_path / "out"
    assert build(branded, output) == 0
    before = tree(output)
    time.sleep(0.01)
    picture(branded / "static/brand/hero.jpg", (1800, 900), colour=(200, 60, 20))
    same_as_clean(branded, output)
    after = tree(output)
    assert after["images/brand/hero-800.webp"] != before["images/brand/hero-800.webp"]
    assert after["images/brand/hero-1600.jpg"] != before["images/brand/hero-1600.jpg"]
    assert after["index.html"] == before["index.html"]  # same names and sizes

    # Another shape: the attributes that reserve its space follow.
    picture(branded / "static/brand/hero.jpg", (1000, 800))
    same_as_clean(branded, output)
    home = (output / "index.html").read_text("utf-8")
    assert 'width="1000" height="800"' in home
    assert not (output / "images/brand/hero-1600.jpg").exists()
    assert (output / "images/brand/hero-1000.jpg").is_file()


def test_a_changed_logo_and_font_are_taken_again(branded, tmp_path):
    output = tmp_path / "out"
    assert build(branded, output) == 0
    picture(branded / "static/brand/wvs.png", (300, 300), colour=(10, 10, 200), fmt="PNG")
    same_as_clean(branded, output)
    assert 'width="56" height="56"' in (output / "index.html").read_text("utf-8")
    (branded / "static/fonts/brand.woff2").write_bytes(FONT.read_bytes()[:-1] + b"\0")
    same_as_clean(branded, output)
