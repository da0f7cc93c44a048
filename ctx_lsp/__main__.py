"""``python -m ctx_lsp`` is the same as the ``ctx-lsp`` command."""

from ctx_lsp.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
