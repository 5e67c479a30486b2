"""Marker registration and process set-up shared by the whole test suite."""

from __future__ import annotations

import logging
import signal

import pytest


def _default_interrupt() -> None:
    """A run started with a shell's ``&`` has SIGINT and SIGQUIT ignored, and every process
    it starts would inherit that. Give this process (each xdist worker imports this too)
    Python's usual Ctrl-C handler, so that the processes tests start see the default
    dispositions however the run was started; tests/functional/gcrun.default_signals does
    the same in the child for the helpers that send signals."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if signal.getsignal(signal.SIGQUIT) is signal.SIG_IGN:
        signal.signal(signal.SIGQUIT, signal.SIG_DFL)


_default_interrupt()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "osc: needs the python-openstackclient executable")


@pytest.fixture(autouse=True)
def _root_logging_restored():
    """gc run in-process (cliff's configure_logging) adds console handlers to the root
    logger on the test's captured stderr; left there, a later test's log line meets a
    closed stream ("--- Logging error ---"). Each test leaves the root logger as found;
    pytest's own capture handlers it manages itself."""
    root = logging.getLogger("")
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers and not type(handler).__module__.startswith("_pytest"):
            root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture(autouse=True)
def _signal_handlers_restored():
    """A command of the nova extension or the openstack plugin keeps its handlers of
    SIGINT, SIGTERM and SIGHUP until its process exits (gcclient.core.interrupts.
    told_to_the_end): run in-process, the test gives the test process its own back."""
    signums = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    saved = {signum: signal.getsignal(signum) for signum in signums}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@pytest.fixture
def slow_after(simulator_factory, tmp_path):
    """``slow_after(setup)``: run ``setup(sim)`` on a fast simulator, then give a
    simulator on the same state whose transitions take 60 s (a --wait is certainly
    still waiting when interrupted or timed out), and what setup returned.

    ``simulator_factory`` is the directory's: gc-simulator processes in
    tests/functional, in-process simulators in tests/inprocess."""

    def make(setup, **slow):
        state = str(tmp_path / "state.db")
        fast = simulator_factory(era="cobalt", build_time=0.05, state=state)
        made = setup(fast)
        fast.stop()
        slow.setdefault("build_time", 60)
        return simulator_factory(era="cobalt", state=state, **slow), made

    return make


# Modules run whole on one xdist worker: their module-scoped fixtures are costly and
# would be built again on every worker that ran one of their tests. Every other test
# is handed out on its own, so that no long module holds one worker while the others
# idle. (pytest-xdist's own --dist loadgroup with xdist_group marks does this, but it
# stopped grouping with pytest 9.2: pytest-dev/pytest-xdist#1386.)
ONE_WORKER = {
    "tests/functional/packaging/test_packaging.py": "builds the package, installs it in a venv",
    "tests/functional/packaging/test_packaging_docs.py": "builds the man page with sphinx",
    "tests/functional/cli/test_bad_input_adversarial.py": "its worlds: 50 cases share one",
}


def xdist_scope(nodeid: str) -> str:
    """The unit of work a test belongs to: its module for ONE_WORKER's, else itself.
    The real-stack tests are one unit: they share one stack and its demo project,
    which each worker's ``rest`` fixture would empty under the others' feet."""
    if nodeid.startswith("tests/realstack/"):
        return "tests/realstack"
    module = nodeid.split("::", 1)[0]
    return module if module in ONE_WORKER else nodeid


@pytest.hookimpl(optionalhook=True)  # an xdist hook: pytest without xdist skips it
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """``--dist loadgroup`` (pyproject.toml's addopts): tests one by one, but the
    modules of ONE_WORKER each as one unit of work."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class OneByOneButGrouped(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_scope(nodeid)

    return OneByOneButGrouped(config, log)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def listing_family(simulator):
    """src → img-a → (a-1, a-2); src → img-b; a plain server "other": what the listing
    tests list (the directory's ``simulator``: a process or in-process)."""
    source = simulator.boot("src")
    images = {}
    for name in ("img-a", "img-b"):
        code, body = simulator.action(source["id"], {"gc_bless": {"name": name}})
        assert code == 200, body
        images[name] = simulator.wait_status(body[0]["id"], "BLESSED")
    launched = {}
    for name in ("a-1", "a-2"):
        code, body = simulator.action(images["img-a"]["id"], {"gc_launch": {"name": name}})
        assert code == 200, body
        launched[name] = simulator.wait_status(body[0]["id"], "ACTIVE")
    other = simulator.boot("other")
    return {"src": source, **images, **launched, "other": other}
