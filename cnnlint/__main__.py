"""`python -m cnnlint`."""

from cnnlint.cli import main

main()
