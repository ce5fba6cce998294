"""Hostile files below content/: links out of the site, special files, image bombs,
YAML nested too deeply. Each gets a message at its line; nothing hangs or crashes."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import threading
import warnings
import zlib

import pytest
from PIL import Image

from verbund import validate as validate_module
from verbund.cli import main
from verbund.images import LogoError, fit_logo, logo_problem
from verbund.serve import Preview
from verbund.yamlsource import MAX_DEPTH, YamlError, read_yaml

from .conftest import MEMBER, PROJECT, SITE_YAML, tree, write

MEMBER_FILE = "content/members/muster-logistik.md"
WITH_LOGO = MEMBER.replace("employees: 50-249", "employees: 50-249\nlogo: logo.png")
LOGO_AT = f"{MEMBER_FILE}:19:7: logo:"
LINK = "symbolic links are not allowed in content"
LINK_REFUSED = f"{LOGO_AT} {LINK} (replace the link with the file itself)"
UNREADABLE = "the file is not an image that can be read (use PNG, JPEG, WebP or GIF)"
BUILD = ["--today", "2026-01-01", "--no-search"]


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own, so that a build that blocks fails."""
    return subprocess.run(
        [sys.executable, "-m", "verbund", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "VERBUND_MESSAGES": "en"},
        cwd=PROJECT,
    )


def finishes(call, timeout: float = 10):
    """``call()``'s result; a failure if it still runs after ``timeout`` seconds."""
    result: list = []
    errors: list = []

    def target():
        try:
            result.append(call())
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"still running after {timeout} s"
    if errors:
        raise errors[0]
    return result[0]


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, idat: bytes, *extra: bytes) -> bytes:
    """A 1-bit grey PNG with the given compressed image data and extra chunks."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"".join(
        [b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", header), *extra, chunk(b"IDAT", idat)]
        + [chunk(b"IEND", b"")]
    )


def bomb_png(width: int, height: int) -> bytes:
    """A valid PNG of all-zero rows, made in milliseconds: a block of rows is
    compressed once (ending on a full flush, so that it stands alone) and repeated."""
    assert height % 1000 == 0
    rows = b"\0" * (1 + (width + 7) // 8) * 1000
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(rows) + deflate.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(height // 1000):
        checksum = zlib.adler32(rows, checksum)
    last = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block
    stream = b"\x78\xda" + block * (height // 1000) + last + struct.pack(">I", checksum)
    return png(width, height, stream)


@pytest.fixture
def logo_site(site):
    write(site, MEMBER_FILE, WITH_LOGO)
    return site


def outside_image(tmp_path):
    secret = tmp_path / "secret.png"
    Image.new("RGB", (31, 21), (200, 10, 10)).save(secret)
    return secret


# -- symbolic links and special files ------------------------------------------


def test_a_logo_linked_to_an_image_outside_is_refused(logo_site, tmp_path):
    os.symlink(outside_image(tmp_path), logo_site / "content/members/logo.png")
    result = run("check", "--site", str(logo_site))
    assert (result.returncode, result.stdout.splitlines()) == (1, [LINK_REFUSED])
    result = run("build", "--site", str(logo_site), *BUILD)
    assert (result.returncode, result.stdout.splitlines()) == (1, [LINK_REFUSED])
    assert not (logo_site / "output").exists()


def test_a_logo_linked_to_a_fifo_does_not_block(logo_site, tmp_path):
    os.mkfifo(tmp_path / "fifo")
    os.symlink(tmp_path / "fifo", logo_site / "content/members/logo.png")
    for command in (["check"], ["build", *BUILD]):
        result = run(*command, "--site", str(logo_site), timeout=30)
        assert (result.returncode, result.stdout.splitlines()) == (1, [LINK_REFUSED])


def test_a_fifo_is_never_opened_as_a_logo(tmp_path):
    fifo = tmp_path / "logo.png"
    os.mkfifo(fifo)
    try:
        problem = finishes(lambda: logo_problem(fifo))
        assert problem is not None
        assert problem.message == "the logo must be an image file, not a folder, pipe or device"
        with pytest.raises(LogoError, match="not a folder, pipe or device"):
            finishes(lambda: fit_logo(fifo))
    finally:  # let a reader that still waits go
        os.close(os.open(fifo, os.O_RDWR | os.O_NONBLOCK))


def test_no_folder_on_the_way_to_a_logo_may_be_a_link(tmp_path):
    root = tmp_path / "site"
    members = root / "content/members"
    members.mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    Image.new("RGB", (30, 20)).save(outside / "x.png")
    os.symlink(outside, members / "sub")
    problem = logo_problem(members / "sub/x.png", root)
    assert problem is not None and problem.message == LINK
    with pytest.raises(LogoError, match=LINK):
        fit_logo(members / "sub/x.png", root=root)
    problem = logo_problem(root / "content/members/../../outside/x.png", root)
    assert problem is not None and "inside the site folder" in problem.message
    # The members folder itself a link: refused as well.
    (outside / "y.png").write_bytes((outside / "x.png").read_bytes())
    members.rename(tmp_path / "members")
    os.symlink(outside, members)
    problem = logo_problem(members / "y.png", root)
    assert problem is not None and problem.message == LINK


def test_a_logo_replaced_by_a_link_after_the_check_stops_the_build(
    logo_site, tmp_path, capsys, monkeypatch
):
    os.symlink(outside_image(tmp_path), logo_site / "content/members/logo.png")
    monkeypatch.setattr(validate_module, "logo_problem", lambda *args: None)
    assert main(["build", "--site", str(logo_site), *BUILD]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{MEMBER_FILE}: logo: {LINK} (replace the link with the file itself)"
    ]
    assert not (logo_site / "output").exists()


def test_a_refused_logo_leaves_the_output_alone(logo_site, tmp_path):
    Image.new("RGB", (30, 20)).save(logo_site / "content/members/logo.png")
    assert main(["build", "--site", str(logo_site), *BUILD]) == 0
    before = tree(logo_site / "output")
    (logo_site / "content/members/logo.png").unlink()
    os.symlink(outside_image(tmp_path), logo_site / "content/members/logo.png")
    assert main(["build", "--site", str(logo_site), *BUILD]) == 1
    assert tree(logo_site / "output") == before


# -- images Pillow refuses or cannot read --------------------------------------


def test_the_bomb_is_a_real_png():
    with Image.open(io.BytesIO(bomb_png(8_000, 2_000))) as image:
        image.load()
        assert image.size == (8_000, 2_000) and image.getextrema() == (0, 0)
    data = bomb_png(30_000, 30_000)
    assert len(data) < 900_000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(data))


def test_a_decompression_bomb_is_a_positioned_problem(logo_site, capsys):
    (logo_site / "content/members/logo.png").write_bytes(bomb_png(30_000, 30_000))
    expected = f"{LOGO_AT} the image is 30000×30000 pixels; make it smaller than 6000×6000"
    assert main(["check", "--site", str(logo_site)]) == 1
    assert capsys.readouterr().out.splitlines() == [expected]
    assert main(["build", "--site", str(logo_site), *BUILD]) == 1
    assert capsys.readouterr().out.splitlines() == [expected]
    assert not (logo_site / "output").exists()
    with pytest.raises(LogoError, match="30000×30000"):
        fit_logo(logo_site / "content/members/logo.png")


@pytest.mark.parametrize("action", ["always", "error"])  # "error" as under python -W error
def test_an_image_above_pillows_warning_limit_is_refused_by_its_size(tmp_path, action):
    (tmp_path / "logo.png").write_bytes(bomb_png(10_000, 10_000))
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter(action)
        problem = logo_problem(tmp_path / "logo.png")
        with pytest.raises(LogoError, match="10000×10000"):
            fit_logo(tmp_path / "logo.png")
    assert problem is not None
    assert problem.message == "the image is 10000×10000 pixels; make it smaller than 6000×6000"
    assert warned == []  # nothing besides the message on the terminal


TEXT_BOMB = png(
    8,
    8,
    zlib.compress(b"\0" * 16),
    chunk(b"zTXt", b"note\0\0" + zlib.compress(b"\0" * 5_000_000, 9)),
)
"""A PNG whose text chunk unpacks to more than Pillow allows: a ValueError."""

TRUNCATED = png(8, 8, b"\x78\xda\x01")
"""A header Pillow reads, and image data that ends at once: fails when loaded."""


@pytest.mark.parametrize(
    "data",
    [
        TEXT_BOMB,
        b"\x89PNG\r\n\x1a\n" + b"\0" * 40,
        b"GIF89a" + b"\xff" * 20,
        b"RIFF\x10\0\0\0WEBPVP8 " + b"\xff" * 20,
        b"\xff\xd8\xff\xc0\0\x11\x08\xff\xff\xff\xff\x03",
        TRUNCATED,
    ],
    ids=["text-bomb", "png-garbage", "gif-garbage", "webp-garbage", "jpeg-huge", "truncated"],
)
def test_whatever_pillow_raises_becomes_a_logo_error(tmp_path, data):
    (tmp_path / "logo.png").write_bytes(data)
    problem = logo_problem(tmp_path / "logo.png")
    if data is TRUNCATED:  # only the header is read for the check
        assert problem is None
    else:
        assert isinstance(problem, LogoError)
    with pytest.raises(LogoError):
        fit_logo(tmp_path / "logo.png")


def test_a_logo_that_fails_while_loading_stops_the_build_with_its_file(logo_site, capsys):
    (logo_site / "content/members/logo.png").write_bytes(TRUNCATED)
    assert main(["build", "--site", str(logo_site), *BUILD]) == 1
    assert capsys.readouterr().out.splitlines() == [f"{MEMBER_FILE}: logo: {UNREADABLE}"]
    assert not (logo_site / "output").exists()


# -- YAML nested too deeply ----------------------------------------------------


def test_libyaml_nesting_limit_gets_our_message_and_a_hint():
    with pytest.raises(YamlError) as caught:
        read_yaml("a: " + "[" * 100_000, line_offset=1)
    assert caught.value.message == "the data is nested too deeply"
    assert caught.value.hint == f"put at most {MAX_DEPTH} lists and fields inside one another"
    assert caught.value.position.line == 2


@pytest.mark.parametrize(
    "path, text, where",
    [
        (
            MEMBER_FILE,
            MEMBER.replace("employees: 50-249", "employees: " + "[" * 100_000),
            f"{MEMBER_FILE}:18:",
        ),
        ("site.yaml", SITE_YAML + "extra: " + "[" * 100_000 + "\n", "site.yaml:15:"),
    ],
    ids=["member", "site.yaml"],
)
def test_yaml_nested_too_deeply_is_told_in_german(site, capsys, monkeypatch, path, text, where):
    monkeypatch.delenv("VERBUND_MESSAGES")
    write(site, path, text)
    assert main(["check", "--site", str(site)]) == 1
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(where)
    assert line.endswith(
        ": die Daten sind zu tief verschachtelt (verschachteln Sie höchstens 20 Listen und "
        "Felder ineinander)"
    )


def test_the_preview_shows_a_bomb_instead_of_the_problems_before(logo_site, tmp_path):
    preview = Preview(logo_site, tmp_path / "preview", "http://127.0.0.1:8000/")
    assert not preview.rebuild()  # no logo.png yet
    assert [line.split(": ", 1)[1] for line in preview.problems] == [
        "logo: there is no file content/members/logo.png (put the logo beside the member's "
        "file, or remove the line)"
    ]
    (logo_site / "content/members/logo.png").write_bytes(bomb_png(30_000, 30_000))
    assert not preview.rebuild()
    assert preview.problems == [
        f"{LOGO_AT} the image is 30000×30000 pixels; make it smaller than 6000×6000"
    ]
