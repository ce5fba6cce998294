"""Markdown bodies rendered once: cached by content, in parallel for large sites."""

from __future__ import annotations

import sqlite3

from verbund.bodies import body_key, render_bodies, start_pool
from verbund.cache import Cache
from verbund.markup import markdown_to_html

TEXTS = [f"# Titel {n}\n\nText **{n}** mit [Link](https://example.org/{n})." for n in range(250)]


class CountingCache(Cache):
    def __init__(self, folder):
        super().__init__(folder)
        self.stored = 0

    def put(self, table, items):
        self.stored += len(items)
        super().put(table, items)


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
        parallel = render_bodies(TEXTS, Cache(None), pool)
    finally:
        if pool is not None:
            pool.shutdown()
    assert parallel == [markdown_to_html(text) for text in TEXTS]


def test_corrupt_cache_is_set_aside(tmp_path):
    folder = tmp_path / ".cache"
    folder.mkdir()
    (folder / "cache.sqlite").write_bytes(b"this is not a database" * 100)
    cache = Cache(folder)
    assert render_bodies(TEXTS[:3], cache, None) == [markdown_to_html(t) for t in TEXTS[:3]]
    cache.close()
    rows = sqlite3.connect(folder / "cache.sqlite").execute("SELECT count(*) FROM body")
    assert rows.fetchone() == (3,)


def test_key_depends_on_the_text():
    assert body_key("a") != body_key("b")
    assert body_key("a") == body_key("a")
