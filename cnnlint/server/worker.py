"""The checks off the message loop: one worker thread, a debounce per document, stale work dropped.

`schedule(uri, version, delay)` asks for a check of the document `delay` seconds from now; a
newer request for the same document replaces the older one (only the latest version is ever
checked), and a result whose version is no longer the document's is not published.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Worker:
    def __init__(self, run: Callable[[str, int], None]) -> None:
        self._run = run
        self._due: dict[str, tuple[float, int]] = {}  # uri -> (when, version)
        self._wake = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="cnnlint-checks", daemon=True)
        self._thread.start()

    def schedule(self, uri: str, version: int, delay: float) -> None:
        with self._wake:
            self._due[uri] = (time.monotonic() + delay, version)
            self._wake.notify()

    def cancel(self, uri: str) -> None:
        with self._wake:
            self._due.pop(uri, None)

    def pending(self, uri: str) -> bool:
        with self._wake:
            return uri in self._due

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()

    def _next(self) -> tuple[str, int] | None:
        with self._wake:
            while not self._stopped:
                now = time.monotonic()
                ready = [(when, uri) for uri, (when, _) in self._due.items() if when <= now]
                if ready:
                    _, uri = min(ready)
                    _, version = self._due.pop(uri)
                    return uri, version
                wait = min((when for when, _ in self._due.values()), default=now + 3600) - now
                self._wake.wait(timeout=max(wait, 0.001))
            return None

    def _loop(self) -> None:
        while True:
            job = self._next()
            if job is None:
                return
            try:
                self._run(*job)
            except Exception:  # a failed check must not stop the thread
                pass
