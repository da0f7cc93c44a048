from ctx_lsp.engine.source import LineIndex, SourceFile


def test_line_index_uses_lsp_line_breaks() -> None:
    data = b"a\r\nb\rc\nd"
    index = LineIndex(data)
    assert list(index.starts) == [0, 3, 5, 7]
    assert [index.line_of(o) for o in range(len(data) + 1)] == [0, 0, 0, 1, 1, 2, 2, 3, 3]
    assert [index.line_end(line, data) for line in range(4)] == [1, 4, 6, 8]


def test_form_feed_and_line_separator_are_not_line_breaks() -> None:
    data = "// a\u2028b \x0c c\nvar x = 1".encode()
    assert LineIndex(data).line_count == 2


def test_offset_clamps_to_line_content() -> None:
    data = b"ab\r\ncd"
    index = LineIndex(data)
    assert index.offset(0, 99, data) == 2
    assert index.offset(5, 0, data) == len(data)
    assert index.offset(-1, 3, data) == 0


def test_source_text_keeps_invalid_utf8_reversible() -> None:
    src = SourceFile.parse("x.go", b'package p\n\nvar s = "\xff"\n')
    text = src.text(src.root)
    assert text.encode("utf-8", "surrogateescape") == src.data
    assert src.indentation_of_line(2) == ""
