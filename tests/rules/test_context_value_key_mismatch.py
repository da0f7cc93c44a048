"""context-value-key-mismatch: key resolution (types and values) and the package scope."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctx_lsp.engine.parse import parse
from ctx_lsp.knowledge.context_keys import Key, file_keys, resolve
from tests.rules._family3 import findings_for

RULE = "context-value-key-mismatch"
DECLS = b"""package p

import "context"

type k string

const typed k = "a"
const plain = "a"
const sized int64 = 3
const raw = `b`

func store(ctx context.Context) context.Context {
\treturn context.WithValue(ctx, typed, 1)
}
"""


def _resolve_lookup(expression: str) -> Key | None:
    data = DECLS + f"\nfunc look(ctx context.Context) {{ _ = ctx.Value({expression}) }}\n".encode()
    keys = file_keys(parse(data).root_node, data, frozenset({"context"}))
    constants = {name: (type_text, kind, value) for name, type_text, kind, value in keys.constants}
    (lookup,) = keys.lookups
    return resolve(lookup, constants, frozenset(keys.types))


@pytest.mark.parametrize(("expression", "expected"), [
    ('"a"', Key("string", False, "s:a")),
    ("typed", Key("k", True, "s:a")),
    ("plain", Key("string", False, "s:a")),
    ('k("a")', Key("k", True, "s:a")),
    ("sized", Key("int64", False, "n:3")),
    ("3", Key("int", False, "n:3")),
    ("raw", Key("string", False, "s:b")),
    ('lookupKey("a")', None),  # a function call, not a conversion
    ("unknown", None),
])
def test_keys_resolve_to_their_dynamic_type_and_value(expression: str, expected: Key | None) -> None:
    assert _resolve_lookup(expression) == expected


def test_a_store_in_a_sibling_file_is_compared(tmp_path: Path) -> None:
    lookup = b'package p\n\nfunc read(ctx interface{ Value(any) any }) any {\n\treturn ctx.Value("a")\n}\n'
    path = str(tmp_path / "read.go")
    assert findings_for(RULE, lookup, path=path) == []
    (tmp_path / "store.go").write_bytes(DECLS)
    found = findings_for(RULE, lookup, path=path)
    assert len(found) == 1 and "only under type k (typed)" in found[0].message
    (tmp_path / "also.go").write_text('package p\n\nimport "context"\n\nfunc s(c context.Context) {\n'
                                      '\t_ = context.WithValue(c, "a", 2)\n}\n')
    assert findings_for(RULE, lookup, path=path) == []  # a store under the lookup's type exists
