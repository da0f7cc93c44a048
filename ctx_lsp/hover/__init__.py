"""Hover knowledge: what the Go runtime does at a call site.

:mod:`ctx_lsp.hover.apis` holds the per-API texts (also used by ``ctx-lsp explain API``),
:mod:`ctx_lsp.hover.false_claims` the detectors for runtime myths that hover text and rule
docs must never repeat, and :mod:`ctx_lsp.hover.site` the site-specific hover built on the
engine. Nothing here imports pygls or lsprotocol; the LSP handler converts the results.
"""
