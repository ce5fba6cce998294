"""Markdown bodies rendered once: cached by content, in parallel for large sites."""

from __future__ import annotations

import sqlite3

from verbund.bodies import BodyCache, body_key, render_bodies, start_pool
from verbund.markup import markdown_to_html

TEXTS = [f"# Titel {n}\n\nText **{n}** mit [Link](https://example.org/{n})." for n in range(250)]


class CountingCache(BodyCache):
    def __init__(self, folder):
        super().__init__(folder)
        self.stored = 0

    def put(self, items):
        self.stored += len(items)
        super().put(items)


def test_cached_bodies_are_not_rendered_again(tmp_path):
    cache = CountingCache(tmp_path / ".cache")
    first = render_bodies(TEXTS[:10], cache, None)
    assert cache.stored == 10
    again = render_bodies(TEXTS[:10] + TEXTS[:2], cache, None)
    assert cache.stored == 10
    assert again == first + first[:2]
    assert first[3] == markdown_to_html(TEXTS[3])


def test_parallel_rendering_gives_the_same_html(tmp_path):
    pool = start_pool()
    try:
        parallel = render_bodies(TEXTS, BodyCache(None), pool)
    finally:
        if pool is not None:
            pool.shutdown()
    assert parallel == [markdown_to_html(text) for text in TEXTS]


def test_corrupt_cache_is_set_aside(tmp_path):
    folder = tmp_path / ".cache"
    folder.mkdir()
    (folder / "bodies.sqlite").write_bytes(b"this is not a database" * 100)
    cache = BodyCache(folder)
    assert render_bodies(TEXTS[:3], cache, None) == [markdown_to_html(t) for t in TEXTS[:3]]
    cache.close()
    rows = sqlite3.connect(folder / "bodies.sqlite").execute("SELECT count(*) FROM body")
    assert rows.fetchone() == (3,)


def test_key_depends_on_the_text():
    assert body_key("a") != body_key("b")
    assert body_key("a") == body_key("a")
