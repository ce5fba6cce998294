"""Member logos: scaled into a box, unreadable files refused with a message."""

from __future__ import annotations

import io

from PIL import Image

from verbund.images import LOGO_BOX, fit_logo, logo_problem
from verbund.load import load_sources
from verbund.problems import format_text
from verbund.validate import validate

from .conftest import MEMBER, write


def make_image(path, size, fmt="PNG"):
    Image.new("RGB", size, (10, 80, 140)).save(path, format=fmt)


def test_large_logo_is_scaled_into_the_box(tmp_path):
    make_image(tmp_path / "big.jpg", (1200, 600), "JPEG")
    logo = fit_logo(tmp_path / "big.jpg")
    with Image.open(io.BytesIO(logo.data)) as image:
        assert image.format == "PNG"
        assert image.size == (LOGO_BOX, LOGO_BOX // 2)
    assert (logo.width, logo.height) == (LOGO_BOX // 2, LOGO_BOX // 4)


def test_small_logo_is_not_enlarged(tmp_path):
    make_image(tmp_path / "small.png", (40, 20))
    logo = fit_logo(tmp_path / "small.png")
    with Image.open(io.BytesIO(logo.data)) as image:
        assert image.size == (40, 20)


def test_logo_output_is_reproducible(tmp_path):
    make_image(tmp_path / "a.png", (500, 500))
    assert fit_logo(tmp_path / "a.png").data == fit_logo(tmp_path / "a.png").data


def test_unreadable_logo_is_a_positioned_problem(site):
    (site / "content/members/logo.png").write_text("not an image")
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("employees: 50-249", "employees: 50-249\nlogo: logo.png"),
    )
    _, problems = validate(load_sources(site)[0])
    assert [format_text(p) for p in problems] == [
        "content/members/muster-logistik.md:19:7: logo: the file is not an image that can "
        "be read (use PNG, JPEG, WebP or GIF)"
    ]


def test_other_formats_are_named(tmp_path):
    Image.new("RGB", (10, 10)).save(tmp_path / "logo.bmp", format="BMP")
    problem = logo_problem(tmp_path / "logo.bmp")
    assert problem is not None
    assert problem.message == "a logo must be PNG, JPEG, WebP or GIF, not BMP"
