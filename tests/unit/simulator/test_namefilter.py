"""namefilter.py: the ``name`` filter of server lists, Nova's ``re.search`` on each name.

Plain patterns run here; any other goes to a worker process (not started by these tests: a
stand-in records what it was given)."""

from __future__ import annotations

import pytest

from gcclient.simulator import namefilter
from gcclient.simulator.eras import FIXED_500
from gcclient.simulator.namefilter import MAX_NAME, MAX_NAME_FILTER, PLAIN, filter_by_name
from gcclient.simulator.responses import ApiError

SERVERS = [{"name": "web-1"}, {"name": "db-1"}, {"name": None}, {"name": "web-2"}]


class Workers:
    """Stands in for the worker pool: answers ``hits`` and records each job."""

    def __init__(self, hits: list[int] | None) -> None:
        self.hits = hits
        self.jobs: list[tuple[str, list[str]]] = []

    def run(self, pattern: str, names: list[str]) -> list[int] | None:
        self.jobs.append((pattern, names))
        return self.hits


@pytest.fixture
def workers(monkeypatch):
    def install(hits: list[int] | None) -> Workers:
        stand_in = Workers(hits)
        monkeypatch.setattr(namefilter, "_WORKERS", stand_in)
        return stand_in

    return install


@pytest.mark.parametrize(
    "pattern",
    ["web", "^web-1$", "web\\-1", "[a-z]", "\\d", "w.b", "[^x]", ""],
)
def test_plain_patterns(pattern):
    assert PLAIN.fullmatch(pattern)


@pytest.mark.parametrize("pattern", ["a*", "(a)", "a|b", "a+", "a?", "a{2}", "\\1", "x$y"])
def test_patterns_with_backtracking_are_not_plain(pattern):
    assert not PLAIN.fullmatch(pattern)


def test_plain_pattern_is_a_search_in_this_process(workers):
    pool = workers([])
    assert filter_by_name("web", SERVERS) == [SERVERS[0], SERVERS[3]]
    assert filter_by_name("^db", SERVERS) == [SERVERS[1]]
    assert filter_by_name("-2$", SERVERS) == [SERVERS[3]]
    assert pool.jobs == []


def test_only_the_first_255_characters_of_a_name_are_matched(workers):
    workers([])
    long = {"name": "a" * MAX_NAME + "tail"}
    assert filter_by_name("tail", [long]) == []
    assert filter_by_name("l$", [long]) == []
    assert filter_by_name("a$", [long]) == [long]


def test_no_servers_no_compile(workers):
    workers(None)
    assert filter_by_name("[z-a]", []) == []  # invalid, but Nova returned [] first


def test_invalid_plain_pattern_is_the_fixed_500(workers):
    workers([])
    with pytest.raises(ApiError) as caught:
        filter_by_name("[z-a]", SERVERS)
    assert (caught.value.status, caught.value.message) == (500, FIXED_500)


def test_other_patterns_go_to_a_worker_with_the_cut_names(workers):
    pool = workers([0, 3])
    assert filter_by_name("web-(1|2)", SERVERS) == [SERVERS[0], SERVERS[3]]
    assert pool.jobs == [("web-(1|2)", ["web-1", "db-1", "", "web-2"])]


def test_worker_invalid_pattern_is_the_fixed_500(workers):
    workers(None)
    with pytest.raises(ApiError) as caught:
        filter_by_name("(", SERVERS)
    assert (caught.value.status, caught.value.message) == (500, FIXED_500)


def test_too_long_a_pattern_is_refused_before_anything(workers):
    pool = workers([])
    filter_by_name("a" * MAX_NAME_FILTER, SERVERS)
    with pytest.raises(ApiError) as caught:
        filter_by_name("a" * (MAX_NAME_FILTER + 1), [])
    assert (caught.value.status, caught.value.message) == (
        400,
        "Invalid filter: name is longer than 1024 characters",
    )
    assert pool.jobs == []
