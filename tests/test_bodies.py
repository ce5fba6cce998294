"""Markdown bodies rendered once: cached by content, in parallel for large sites."""

from __future__ import annotations

import sqlite3
import sys
from concurrent.futures import ProcessPoolExecutor

import verbund.bodies
from verbund.bodies import (
    PARALLEL_FROM,
    body_key,
    rendering_bodies,
    site_bodies,
    start_pool,
)
from verbund.cache import Cache
from verbund.markup import markdown_to_html

TEXTS = [f"# Titel {n}\n\nText **{n}** mit [Link](https://example.org/{n})." for n in range(250)]


class CountingCache(Cache):
    def __init__(self, folder):
        super().__init__(folder)
        self.stored = 0

    def put(self, table, items):
        self.stored += len(items)
        return super().put(table, items)


SOURCES = {f"content/members/m{n}.md": text for n, text in enumerate(TEXTS)}


def html_of(bodies) -> dict[str, str]:
    return {source: bodies[source] for source in bodies}


def test_parallel_rendering_gives_the_same_html(tmp_path):
    pool = start_pool()
    try:
        parallel, slow = site_bodies(SOURCES, Cache(None), pool)
    finally:
        if pool is not None:
            pool.shutdown()
    assert slow == []
    assert html_of(parallel) == {source: markdown_to_html(text) for source, text in SOURCES.items()}


def test_texts_sent_to_the_workers_are_kept_as_they_were():
    """Pickling a ``str`` would leave a UTF-8 copy inside it for the whole build."""
    texts = {
        f"content/members/m{n}.md": f"Grüße aus Münster – „Nr. {n}“ " * 40
        for n in range(PARALLEL_FROM + 10)
    }
    sizes = {source: sys.getsizeof(text) for source, text in texts.items()}
    with ProcessPoolExecutor(max_workers=2) as pool:
        bodies, _ = site_bodies(texts, Cache(None), pool)
    assert html_of(bodies) == {source: markdown_to_html(text) for source, text in texts.items()}
    assert {source: sys.getsizeof(text) for source, text in texts.items()} == sizes


def test_bodies_are_rendered_while_pages_ask_for_them_in_any_order(tmp_path, monkeypatch):
    monkeypatch.setattr(verbund.bodies, "CHUNK", 7)
    monkeypatch.setattr(verbund.bodies, "MOST_AHEAD", 20)  # the workers wait for the pages
    cache = CountingCache(tmp_path / ".cache")
    with ProcessPoolExecutor(max_workers=2) as pool:
        bodies = rendering_bodies(SOURCES, cache, pool)
        asked = sorted(SOURCES, reverse=True)
        assert {source: bodies[source] for source in asked} == {
            source: markdown_to_html(text) for source, text in SOURCES.items()
        }
        assert bodies.slow() == []
    assert cache.stored == len(SOURCES)  # each rendered once, kept in the cache


def test_a_body_that_takes_too_long_in_a_worker_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(verbund.bodies, "SECONDS_PER_BODY", 0.05)
    texts = {**SOURCES, "content/members/slow.md": "*a " * 20000 + "\n" + "[x]" * 20000}
    with ProcessPoolExecutor(max_workers=2) as pool:  # forked now: with the short budget
        bodies = rendering_bodies(texts, Cache(tmp_path / ".cache"), pool)
        assert bodies["content/members/slow.md"] == ""
        assert bodies.slow() == ["content/members/slow.md"]
    assert bodies["content/members/m3.md"] == markdown_to_html(TEXTS[3])


def test_corrupt_cache_is_set_aside(tmp_path):
    folder = tmp_path / ".cache"
    folder.mkdir()
    (folder / "cache.sqlite").write_bytes(b"this is not a database" * 100)
    cache = Cache(folder)
    first = dict(list(SOURCES.items())[:3])
    bodies, _ = site_bodies(first, cache, None)
    assert html_of(bodies) == {source: markdown_to_html(text) for source, text in first.items()}
    cache.close()
    rows = sqlite3.connect(folder / "cache.sqlite").execute("SELECT count(*) FROM body")
    assert rows.fetchone() == (3,)


def test_key_depends_on_the_text():
    assert body_key("a") != body_key("b")
    assert body_key("a") == body_key("a")


def test_site_bodies_are_read_from_the_cache_when_asked(tmp_path):
    cache = CountingCache(tmp_path / ".cache")
    twenty = dict(list(SOURCES.items())[:20])
    bodies, slow = site_bodies(twenty, cache, None)
    assert slow == [] and cache.stored == 20
    assert bodies.kept == {}  # nothing held in memory: it is in the cache
    assert bodies["content/members/m3.md"] == markdown_to_html(TEXTS[3])
    assert len(bodies) == 20 and set(bodies) == set(twenty)
    again, _ = site_bodies({**twenty, "content/events/same.md": TEXTS[2]}, cache, None)
    assert cache.stored == 20  # nothing rendered again, not even the same text twice
    assert again["content/members/m7.md"] == markdown_to_html(TEXTS[7])
    assert again["content/events/same.md"] == markdown_to_html(TEXTS[2])


def test_site_bodies_without_a_cache_are_kept_in_memory():
    bodies, slow = site_bodies(SOURCES, Cache(None), None)
    assert slow == [] and len(bodies.kept) == len(TEXTS)
    assert bodies["content/members/m0.md"] == markdown_to_html(TEXTS[0])


def test_a_body_lost_from_the_cache_is_rendered_again(tmp_path):
    cache = Cache(tmp_path / ".cache")
    bodies, _ = site_bodies(SOURCES, cache, None)
    cache.db.execute("DELETE FROM body")
    cache.db.commit()
    assert bodies["content/members/m5.md"] == markdown_to_html(TEXTS[5])


def test_site_bodies_name_the_ones_that_take_too_long(tmp_path, monkeypatch):
    monkeypatch.setattr(verbund.bodies, "SECONDS_PER_BODY", 0.05)
    slow_text = "*a " * 20000 + "\n" + "[x]" * 20000
    texts = {"content/members/a.md": "fine", "content/members/b.md": slow_text}
    bodies, slow = site_bodies(texts, Cache(tmp_path / ".cache"), None)
    assert slow == ["content/members/b.md"]
    assert bodies["content/members/a.md"] == markdown_to_html("fine")


def test_cache_tells_which_keys_it_has(tmp_path):
    cache = Cache(tmp_path / ".cache")
    assert cache.put("body", {"a": "A", "b": "B"})
    assert cache.has("body", ["a", "c", "b"]) == {"a", "b"}
    assert Cache(None).has("body", ["a"]) == set()
    assert not Cache(None).put("body", {"a": "A"})


def test_known_hashes_of_texts_give_the_keys_of_the_texts():
    from verbund.load import text_digest

    plain = rendering_bodies(SOURCES, Cache(None), None)
    digests = {source: text_digest(text) for source, text in SOURCES.items()}
    known = rendering_bodies(SOURCES, Cache(None), None, digests=digests)
    assert known.body_keys == plain.body_keys
    assert len(set(plain.body_keys.values())) == len(set(SOURCES.values()))
