"""ctx-lsp: finds leaked cancel functions, goroutine-local context storage and finalizer
dependence in Go code, as a language server and a batch CLI.

The analysis engine lives in :mod:`ctx_lsp.engine`, the rules in :mod:`ctx_lsp.rules`,
the language server in :mod:`ctx_lsp.lsp` and the command line in :mod:`ctx_lsp.cli`.
"""

__version__ = "0.1.0"
