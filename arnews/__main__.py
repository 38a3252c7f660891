"""`python -m arnews`: the `arnews` command (how `serve` starts its first build)."""

from arnews.cli import main

main(prog_name="arnews")
