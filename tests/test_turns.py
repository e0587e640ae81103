"""Reruns take turns (corridors/turns.py): never two at once, and a wait steps aside."""

from __future__ import annotations

import threading
import time

from corridors.turns import stepping_aside, taking_turns


def test_two_reruns_never_build_at_once() -> None:
    inside, most = [0], [0]
    lock = threading.Lock()

    def rerun() -> None:
        with taking_turns():
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.01)  # a rerun's work, long enough for the others to try
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=rerun) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1


def test_a_rerun_waiting_on_the_network_lets_another_take_its_turn() -> None:
    waiting, other_done = threading.Event(), threading.Event()
    built_meanwhile: list[bool] = []

    def slow_fetch() -> None:
        with taking_turns(), stepping_aside():
            waiting.set()
            # Another rerun builds its page while this one waits.
            built_meanwhile.append(other_done.wait(timeout=5))

    def other() -> None:
        waiting.wait(timeout=5)
        with taking_turns():
            other_done.set()

    threads = [threading.Thread(target=slow_fetch), threading.Thread(target=other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert built_meanwhile == [True] and not any(t.is_alive() for t in threads)


def test_stepping_aside_outside_a_turn_does_nothing() -> None:
    with stepping_aside():
        pass
    with taking_turns():  # the turn is free, and still one at a time afterwards
        pass
