"""`python -m generator` and the `gongshi` command."""

import gc


def start() -> None:
    """The command, its modules loaded with the collector off: loading makes many objects
    and no garbage, and collecting meanwhile costs 5-8 ms of every run."""
    gc.disable()
    from .cli import run

    gc.enable()  # `gongshi serve` runs for hours
    run()


if __name__ == "__main__":
    start()
