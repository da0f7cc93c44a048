"""The language server: pygls handlers over the shared engine.

- :mod:`.document`   GoDocument: bytes, LSP line index, incremental edits and re-parse
- :mod:`.positions`  byte offsets <-> LSP characters in utf-8, utf-16 and utf-32
- :mod:`.line_update` incremental update of the LSP line index
- :mod:`.open_document` per-document analysis state on top of the engine's cache
- :mod:`.convert`    findings -> Diagnostics, fixes -> CodeActions
- :mod:`.actions`    byte-level edits of the suppress and fix-all actions
- :mod:`.settings_store` editor settings layered over ``.ctx-lsp.toml``
- :mod:`.capabilities` what the client supports
- :mod:`.protocol`   pygls protocol adjustments (own text sync, utf-8 preferred)
- :mod:`.framing`    keeps the stdio reader in step after a wrong ``Content-Length``
- :mod:`.worker`     the background thread that runs analyses in order
- :mod:`.server`     handlers and ``main`` (``ctx-lsp serve``)
"""
