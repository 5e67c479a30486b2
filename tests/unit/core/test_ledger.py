"""gcclient.core.ledger and the outcome exceptions it settles with: what was sent, done,
unknown or not attempted, and how each front-end words it."""

from __future__ import annotations

from gcclient.api import exceptions
from gcclient.cli.base import GC_WORDS
from gcclient.core import ledger as ledger_module
from gcclient.core.ledger import Ledger
from gcclient.nova.nova_manager import NOVA_WORDS

UUID = "11111111-2222-3333-4444-555555555555"


def test_unknown_outcome_is_worded_by_each_front_end():
    exc = exceptions.UnknownOutcome(
        "gc_launch", server=UUID, check=exceptions.Check("list-launched", UUID), reason="x"
    )
    assert f"check with gc list-launched {UUID} before retrying" in exc.render(GC_WORDS)
    assert f"check with nova list-launched {UUID} before retrying" in exc.render(NOVA_WORDS)
    assert f"check the servers launched from {UUID} before retrying" in str(exc)
    assert (exc.action, exc.server, exc.sent) == ("gc_launch", UUID, True)


def test_wait_failed_carries_the_servers_and_the_cause():
    cause = exceptions.WaitError("Timed out after 5 s waiting for x")
    exc = exceptions.WaitFailed("bless", [{"id": "b1", "status": "BUILD"}], cause)
    assert exc.ids == ["b1"] and exc.cause is cause
    assert exc.render(GC_WORDS) == (
        "The bless was carried out (b1); only the wait failed: Timed out after 5 s waiting "
        "for x; resume it with gc wait b1"
    )
    gone = exceptions.WaitFailed("delete", [{"id": "d1"}], cause, gone=True)
    assert gone.render(GC_WORDS).endswith("resume it with gc wait --gone d1")
    assert "gc " not in str(exc)


def test_ledger_describes_an_interruption():
    ledger = Ledger()
    deletions = ledger.plan("delete", ["c1", "c2", "c3"])
    discard = ledger.plan("discard", ["img"])[0]
    ledger.done(deletions[0])
    deletions[1].state = ledger_module.SENDING
    ledger.interrupted_states()
    assert discard.state == ledger_module.NOT_ATTEMPTED
    assert ledger_module.describe(ledger, GC_WORDS, waiting=False) == (
        "2 of 3 deletions were sent (1 done; 1 unknown: c2, check with gc show c2); "
        "the discard of img was not sent"
    )


def test_ledger_describes_a_creation_and_a_lost_answer():
    ledger = Ledger()
    ledger.done(ledger.begin("boot"), [{"id": "s1", "status": "BUILD"}])
    assert ledger_module.describe(ledger, GC_WORDS, waiting=True) == (
        "server s1 (BUILD) was created; the wait was stopped"
    )
    ledger = Ledger()
    ledger.begin("bless", "src")
    ledger.interrupted_states()
    assert ledger_module.describe(ledger, GC_WORDS) == (
        "the bless of src was sent and may have been carried out: check with gc list-blessed src"
    )
    assert ledger_module.describe(Ledger(), GC_WORDS) == "nothing was sent"


def test_accounting_line():
    ledger = Ledger()
    a, b, c, d = ledger.plan("delete", ["a", "b", "c", "d"])
    ledger.done(a)
    ledger.settle(b, exceptions.NotFound("gone", http_status=404))
    ledger.settle(c, exceptions.UnknownOutcome("delete", server="c"))
    assert ledger_module.accounting("delete", [a, b, c, d]) == (
        "4 deletions: 1 done (a), 1 failed (b: gone), 1 not attempted (d), 1 unknown (c)"
    )


def test_every_unknown_of_an_accounting_line_names_its_check():
    """Issue 21: an unknown deletion of discard --delete-launched (its outcome lost to
    an error without a check, or to an interruption) was listed without the command
    that checks it."""
    ledger = Ledger()
    lost, cut = ledger.plan("delete", ["c1", "c2"])
    ledger.sending(lost)
    ledger.settle(lost, KeyboardInterrupt())
    ledger.sending(cut)
    ledger.interrupted_states()
    assert ledger_module.accounting("delete", [lost, cut], str, GC_WORDS) == (
        "2 deletions: 0 done, 0 failed, 0 not attempted, "
        "2 unknown (c1: check with gc show c1; c2: check with gc show c2)"
    )
