"""`cnnlint server`: a language server (the optional extra `cnnlint[server]`: pygls, lsprotocol)."""

from __future__ import annotations


def main() -> None:
    from cnnlint.server.lsp import main as run

    run()
