"""Hover: what the Go runtime does at the token under the cursor, as a short popup.

- :mod:`ctx_lsp.hover.site`: :func:`hover_at`, one module per hover subject;
- :mod:`ctx_lsp.hover.apis`: the API facts with their citations (``data``) and their
  rendering (``render``), also used by ``ctx-lsp explain``;
- :mod:`ctx_lsp.hover.diagnostics`: the one line a diagnostic adds, and
  :func:`rule_doc_href` for the diagnostics' ``codeDescription``;
- :mod:`ctx_lsp.hover.explain`: :func:`explain_topic` for ``ctx-lsp explain``;
- :mod:`ctx_lsp.hover.false_claims`: detectors for runtime myths no text may repeat.

Nothing here imports pygls or lsprotocol; the LSP handler converts the results.
"""

from __future__ import annotations

from ctx_lsp.hover.diagnostics import rule_doc_href
from ctx_lsp.hover.explain import explain_topic
from ctx_lsp.hover.site import HoverResult, hover_at

__all__ = ["HoverResult", "explain_topic", "hover_at", "rule_doc_href"]
