"""`python -m service.cli ...`, as the `officer-cert` script."""

from service.cli import main

main()
