"""The analysis engine shared by the CLI and the language server. No LSP types in here.

- :mod:`.source`     SourceFile (bytes, LSP line index, tree) and LineIndex
- :mod:`.parse`      the tree-sitter Go parser
- :mod:`.syntax`     small iterative tree-sitter helpers
- :mod:`.decl_index` one query per top-level declaration for the nodes checks look up
- :mod:`.imports`    import resolution (renamed, dot, blank imports)
- :mod:`.scopes`     local name resolution (shadowing) inside functions
- :mod:`.cfg`        statement-level control-flow graphs
- :mod:`.package`    package facts from sibling files (structs, methods, functions, constants)
- :mod:`.decl_extras` per-declaration facts for the module index (interfaces, assertions, work items)
- :mod:`.module_index` every package of the Go module: the facts rules need from other packages
- :mod:`.gomod`      nearest go.mod and its go version
- :mod:`.godebug`    GODEBUG settings of go.mod (``godebug``) and ``//go:debug`` directives
- :mod:`.context`    FileContext: what a rule sees
- :mod:`.findings`   Finding / Fix / TextEdit / Related / Severity
- :mod:`.rule`       Rule metadata; the registry is :data:`ctx_lsp.rules.ALL_RULES`
- :mod:`.suppress`   //nolint and //ctxlsp:ignore comments
- :mod:`.config`     Settings and .ctx-lsp.toml
- :mod:`.analyze`    analyze(): the entry point (severities, suppressions); rules= is required
- :mod:`.incremental` the per-document declaration cache and its invariants (the keystroke path)
- :mod:`.checks`     running the rules on declarations, isolating a failing rule
- :mod:`.fix_finishing` fixes finished on use: deferred fixes, unsafe ones dropped, gofmt padding
- :mod:`.files`      sibling .go files of a package and a stamped per-file cache
- :mod:`.textdiff`   the one region where two versions of a text differ
- :mod:`.fixes`      applying fixes to bytes
- :mod:`.align`      fixes keep gofmt's column of trailing comments
"""
