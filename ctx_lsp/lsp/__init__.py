"""The language server: pygls handlers over the shared engine, one module per LSP feature.

Features (see :mod:`.server` for how they are put together):

- :mod:`.lifecycle`     initialize, shutdown, exit codes, the editor's process, a lost client
- :mod:`.scheduling`    debounce, background analyses, publishing, parse tree release
- :mod:`.text_sync`     didOpen / didChange / didClose
- :mod:`.diagnostics`   push and pull diagnostics
- :mod:`.hover`         hover (the text is :mod:`ctx_lsp.hover`'s)
- :mod:`.code_actions`  quick fixes, suppressions, fix-all
- :mod:`.configuration` settings, watched files, configuration problems shown to the user
- :mod:`.serve`         ``ctx-lsp serve`` (``main``)

Support:

- :mod:`.document`   GoDocument: bytes, LSP line index, incremental edits and re-parse
- :mod:`.open_document` per-document analysis state on top of the engine's cache
- :mod:`.package_overlay` open documents' package facts for the engine's package loader
- :mod:`.positions`  byte offsets <-> LSP characters in utf-8, utf-16 and utf-32
- :mod:`.line_update` incremental update of the LSP line index
- :mod:`.convert`    findings -> Diagnostics, fixes -> CodeActions
- :mod:`.actions`    byte-level edits of the suppress and fix-all actions
- :mod:`.settings_store` editor settings layered over ``.ctx-lsp.toml``
- :mod:`.capabilities` what the client supports
- :mod:`.protocol`   pygls protocol adjustments (own text sync, utf-8 preferred, every request answered)
- :mod:`.framing`    the stdio transport: resynchronising reader, non-UTF-8 bodies, broken pipes
- :mod:`.worker`     the analysis thread
- :mod:`.allocator`  freed heap memory given back to the system now and then (``malloc_trim``)
- :mod:`.handler_support` error isolation and lookups shared by the handlers
"""
