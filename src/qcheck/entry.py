"""The ``qcheck`` executable: answers --version at once, else runs the Click command line."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from qcheck import __version__

if TYPE_CHECKING:
    from types import FrameType


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the same clean-up runs and no temporary file is left.

    It lives here, beside the handler that raises it, so that start-up imports nothing more.
    """


def run() -> None:
    """Run qcheck; ``qcheck --version`` is answered without importing Click or anything else."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        try:
            sys.stdout.write(f"qcheck, version {__version__}\n")
            sys.stdout.flush()
        except OSError as error:
            from qcheck.cli.app import stream_failed
            from qcheck.cli.streams import StreamError

            sys.exit(stream_failed(StreamError("stdout", error)))
        return
    import signal

    def terminate(_signal: int, _frame: FrameType | None) -> None:
        raise Terminated

    # SIGTERM would end the process where it stands, leaving a temporary file behind; raised as
    # an exception, it unwinds like Ctrl-C (unless the caller chose to ignore it).
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, terminate)
    try:
        # Pydantic looks for plugins in every installed package's metadata on its first model;
        # qcheck uses none, and the search costs more than the rest of a small run's start-up.
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
        from qcheck.cli import main
        from qcheck.cli.app import stream_failed
        from qcheck.cli.streams import StreamError

        try:
            main(prog_name="qcheck")
        except (StreamError, OSError) as error:  # a message, or Click's own, on a broken stderr
            failure = error if isinstance(error, StreamError) else StreamError("stderr", error)
            sys.exit(stream_failed(failure))
    except KeyboardInterrupt as interrupt:  # before the command ran: it handles its own
        from qcheck.cli.app import stopped

        sys.exit(stopped(interrupt))
