"""``make run``: the processes of Procfile.dev under honcho, with time for a warm shutdown.

honcho SIGKILLs a process 5 s after Ctrl-C. A Celery worker on the embedded SQLite broker needs
a little longer on a busy machine (its loop polls for 2 s before it sees the signal), and a
SIGKILLed worker loses the messages it had fetched (GUIDE.md). 20 s lets it finish and return
them to the broker; a process still running after that is killed as before.
"""

from __future__ import annotations

import sys

import honcho.manager
from honcho.command import main

GRACE_SECONDS = 20


def run() -> None:
    honcho.manager.KILL_WAIT = GRACE_SECONDS
    sys.argv = ["honcho", "-f", "Procfile.dev", "start", *sys.argv[1:]]
    try:
        main()
    except SystemExit as exc:
        # honcho exits 130 after Ctrl-C: that is the normal way to stop, not a failure of make.
        sys.exit(0 if exc.code == 130 else exc.code)


if __name__ == "__main__":
    run()
