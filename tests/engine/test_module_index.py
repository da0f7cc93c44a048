"""The module-wide syntax index (engine/module_index.py) and the declaration facts it serves
(engine/decl_extras.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ctx_lsp.engine import decl_extras, gomod
from ctx_lsp.engine.module_index import ModuleIndex, ctxless_methods_of
from ctx_lsp.engine.package import PackageLoader, decl_facts
from ctx_lsp.engine.parse import parse


@pytest.fixture(autouse=True)
def _fresh_go_mod_cache() -> None:
    gomod.clear_caches()


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


MODULE = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "keys/keys.go": 'package keys\n\nconst User = "user"\n\nvar Trace = "t"\n\nvar Parts = []string{"a"}\n',
    "api/api.go": (
        "package api\n\nimport \"context\"\n\ntype Iter interface {\n\tNext() bool\n\tCloser\n}\n\n"
        "type Closer interface{ Close() error }\n\n"
        "type Store interface {\n\tGet(ctx context.Context, k string) string\n}\n"
    ),
    "api/api_test.go": "package api\n\nconst TestOnly = 1\n",
    "vendor/x/x.go": "package x\n\ntype Hidden interface{ Hide() }\n",
    "testdata/t.go": "package t\n\ntype Fixture interface{ Fix() }\n",
    "nested/go.mod": "module example.com/nested\n",
    "nested/n.go": "package nested\n\ntype Other interface{ Other() }\n",
}


def index_of(root: Path, loader: PackageLoader | None = None) -> ModuleIndex:
    loader = loader or PackageLoader()
    found = loader.modules.for_file(str(root / "keys" / "keys.go"))
    assert found is not None
    return found


def test_import_paths_map_to_directories_of_the_module_only(tmp_path: Path) -> None:
    write(tmp_path, MODULE)
    index = index_of(tmp_path)
    assert index.module_path == "example.com/m"
    assert index.directory_of("example.com/m/keys") == str(tmp_path / "keys")
    assert index.directory_of("example.com/mx/keys") is None
    assert index.directory_of("fmt") is None
    assert index.package("example.com/m/missing") is None


def test_standard_library_module_maps_plain_import_paths(tmp_path: Path) -> None:
    write(tmp_path, {"go.mod": "module std\n", "io/io.go": "package io\n\ntype Reader interface{ Read() }\n"})
    index = PackageLoader().modules.for_file(str(tmp_path / "io" / "io.go"))
    assert index is not None and index.directory_of("io") == str(tmp_path / "io")
    package = index.package("io")
    assert package is not None and "Reader" in package.interfaces


def test_package_facts_of_another_package(tmp_path: Path) -> None:
    write(tmp_path, MODULE)
    keys = index_of(tmp_path).package("example.com/m/keys")
    assert keys is not None
    assert keys.constants == {"User": "string"}
    assert keys.variables == {"Trace": "string", "Parts": "![]string"}
    api = index_of(tmp_path).package("example.com/m/api")
    assert api is not None and "TestOnly" not in api.constants  # test files are not the package


def test_module_interfaces_without_context_flatten_embedded_ones(tmp_path: Path) -> None:
    write(tmp_path, MODULE)
    interfaces = dict(index_of(tmp_path).ctxless_interfaces())
    assert set(interfaces) == {"api.Iter", "api.Closer"}  # Store takes a context; vendor, testdata,
    assert set(interfaces["api.Iter"]) == {"Next", "Close"}  # nested modules are not the module's


def test_file_changed_forgets_the_package(tmp_path: Path) -> None:
    write(tmp_path, MODULE)
    loader = PackageLoader()
    index = index_of(tmp_path, loader)
    assert index.package("example.com/m/keys").constants == {"User": "string"}  # type: ignore[union-attr]
    path = tmp_path / "keys" / "more.go"
    path.write_text("package keys\n\nconst Tenant = 1\n")
    loader.modules.file_changed(str(path))
    assert index.package("example.com/m/keys").constants == {"User": "string", "Tenant": "int"}  # type: ignore[union-attr]


def test_open_documents_count_with_their_unsaved_text(tmp_path: Path) -> None:
    write(tmp_path, MODULE)
    target = str(tmp_path / "keys" / "keys.go")
    buffer = b'package keys\n\nconst Renamed = "user"\n'

    def overlay(path: str):  # type: ignore[no-untyped-def]
        if path == target:
            root = parse(buffer).root_node
            return "keys", tuple(decl_facts(child, path) for child in root.named_children)
        return None

    index = index_of(tmp_path, PackageLoader(overlay=overlay))
    assert index.package("example.com/m/keys").constants == {"Renamed": "string"}  # type: ignore[union-attr]


def test_workspace_folder_without_go_mod(tmp_path: Path) -> None:
    write(tmp_path, {"a/a.go": "package a\n\ntype Lister interface{ List() []string }\n"})
    modules = PackageLoader().modules
    assert modules.for_file(str(tmp_path / "a" / "a.go")) is None
    modules.add_workspace_folder(str(tmp_path))
    index = modules.for_file(str(tmp_path / "a" / "a.go"))
    assert index is not None and [name for name, _ in index.ctxless_interfaces()] == ["a.Lister"]


def test_warm_reads_every_package(tmp_path: Path) -> None:
    write(tmp_path, MODULE)
    index = index_of(tmp_path)
    index.warm()
    assert sorted(os.path.basename(d) for d in index.directories()) == ["api", "keys"]


def test_ctxless_methods_match_names_and_parameter_counts() -> None:
    interfaces = [("p.Lister", {"List": (False, 0), "Count": (False, 0)})]
    assert ctxless_methods_of(interfaces, {"List": 0, "Count": 0, "Other": 1}) == {"List", "Count"}
    assert ctxless_methods_of(interfaces, {"List": 1, "Count": 0}) == frozenset()
    assert ctxless_methods_of([], {"Len": 0, "Less": 2, "Swap": 2}) == {"Len", "Less", "Swap"}
    assert ctxless_methods_of([], {"Next": 0}) == {"Next"}
    assert ctxless_methods_of([], {"Next": 1}) == frozenset()


def _function(source: str):  # type: ignore[no-untyped-def]
    root = parse(("package p\n\n" + source).encode()).root_node
    return next(c for c in root.named_children if c.type in ("function_declaration", "method_declaration"))


@pytest.mark.parametrize(("source", "position"), [
    ("func w(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }", 0),
    ("func w(n int, ctx context.Context) context.Context { return context.WithValue(ctx, k{}, n) }", 1),
    ("func w(p context.Context) context.Context { c, _ := context.WithTimeout(p, 1); return c }", 0),
    ("func w(ctx context.Context) context.Context { return ctx }", -1),
    ("func w(ctx context.Context) context.Context { return context.Background() }", -1),
    ("func w(ctx context.Context, b bool) context.Context {\n"
     + "\tif b { return context.WithValue(ctx, 1, 2) }\n\treturn ctx\n}", -1),
    ("func w(ctx context.Context) (context.Context, error) { return context.WithoutCancel(ctx), nil }", -1),
])
def test_functions_returning_a_derived_context(source: str, position: int) -> None:
    assert decl_extras.derived_context_parameter(_function(source)) == position


def test_receiver_fields_read_and_handle_fields() -> None:
    method = _function("func (s *S) run() {\n\ttrace.Log(s.tctx, \"a\", \"b\")\n\ts.log.InfoContext(s.lctx, \"m\")\n"
                       "\ts.work(s.ctx)\n\ts.done = true\n}")
    read, handle = decl_extras.receiver_field_uses(method)
    assert read == {"tctx", "lctx", "ctx", "log", "work"}
    assert handle == {"tctx", "lctx"}


def test_work_items_sent_pushed_or_channel_elements() -> None:
    source = ("func f(ch chan<- *job, q []*entry, m map[int]*rec) {\n\tch <- &job{}\n\tx := &entry{}\n"
              "\tq = append(q, x)\n\tm[1] = &rec{}\n\tvar c chan task\n\t_ = c\n\tkeep(&other{})\n}")
    root = parse(("package p\n\n" + source).encode()).root_node
    assert decl_extras.work_items(root.named_children[1]) == ("entry", "job", "rec", "task")


def test_assertions_of_interface_implementations() -> None:
    root = parse(b"package p\n\nvar (\n\t_ I = (*T)(nil)\n\t_ io.Reader = &R{}\n\t_ J = U{}\n"
                 b"\t_ K = new(V)\n\tx I = (*T)(nil)\n)\n").root_node
    assert decl_extras.assertions(root.named_children[1]) == (("T", "I"), ("R", "io.Reader"), ("U", "J"), ("V", "K"))


def test_interface_declarations_are_cut_out_alone_or_in_groups() -> None:
    from ctx_lsp.engine.module_index import interface_declarations

    data = (b"package p\n\ntype A interface {\n\tRead(p []byte) (int, error)\n}\n\ntype (\n"
            b"\tB interface{ M(x interface{}) }\n\tC struct{}\n\tD[T any] interface {\n\t\tGet() T\n\t}\n)\n"
            b"type E interface{}\nvar x interface{ N() }\n")
    assert interface_declarations(data) == [
        b"type A interface {\n\tRead(p []byte) (int, error)\n}",
        b"type B interface{ M(x interface{}) }",
        b"type D[T any] interface {\n\t\tGet() T\n\t}",
        b"type E interface{}",
    ]


def test_warm_in_background_reads_the_folders_module(tmp_path: Path) -> None:
    from ctx_lsp.engine.module_index import warm_in_background

    write(tmp_path, MODULE)
    loader = PackageLoader()
    warm_in_background(loader.modules, [str(tmp_path), str(tmp_path / "missing")]).join(timeout=60)
    index = index_of(tmp_path, loader)
    assert index._interfaces is not None and len(index._packages) == 2


def test_a_changed_go_mod_forgets_every_index(tmp_path: Path) -> None:
    write(tmp_path, MODULE)
    loader = PackageLoader()
    assert index_of(tmp_path, loader).module_path == "example.com/m"
    (tmp_path / "go.mod").write_text("module example.com/renamed\n")
    gomod.clear_caches()
    loader.modules.file_changed(str(tmp_path / "go.mod"))
    assert index_of(tmp_path, loader).module_path == "example.com/renamed"


def test_special_files_named_go_in_the_module_are_never_read(tmp_path: Path) -> None:
    """A FIFO named x.go elsewhere in the module would block a reader forever (found in
    review: the interface table read every .go file of the module without checking)."""
    import threading

    write(tmp_path, MODULE)
    os.mkfifo(tmp_path / "api" / "pipe.go")
    index = index_of(tmp_path)
    found: list[list[object]] = []
    reader = threading.Thread(target=lambda: found.append(list(index.ctxless_interfaces())), daemon=True)
    reader.start()
    reader.join(timeout=30)  # a hang guard, not a speed assertion
    assert not reader.is_alive(), "the module index blocked on a FIFO"
    assert any(name == "api.Iter" for name, _methods in found[0])  # type: ignore[misc]


def test_file_changed_never_waits_for_a_package_read_in_progress(tmp_path: Path) -> None:
    """The event loop calls file_changed; a package read (disk) on the analysis thread must
    not make it wait. The read that saw the file change is not kept: the next ask reads again."""
    import threading

    write(tmp_path, MODULE)
    reading, may_finish = threading.Event(), threading.Event()
    loader = PackageLoader()
    original = loader.file_facts

    def slow_file_facts(path: str):  # type: ignore[no-untyped-def]
        reading.set()
        may_finish.wait(30)
        return original(path)

    index = ModuleIndex(str(tmp_path), "example.com/m", slow_file_facts)
    reader = threading.Thread(target=index.package_at, args=(str(tmp_path / "keys"),), daemon=True)
    reader.start()
    assert reading.wait(30)
    changer = threading.Thread(target=index.file_changed, args=(str(tmp_path / "keys" / "keys.go"),), daemon=True)
    changer.start()
    changer.join(10)
    returned_during_the_read = not changer.is_alive()
    may_finish.set()
    reader.join(30)
    assert returned_during_the_read, "file_changed waited for the package read to finish"
    (tmp_path / "keys" / "more.go").write_text("package keys\n\nconst Tenant = 1\n")
    index = ModuleIndex(str(tmp_path), "example.com/m", original)
    assert index.package_at(str(tmp_path / "keys")).constants == {"User": "string", "Tenant": "int"}


def test_a_package_read_while_a_file_changed_is_not_kept(tmp_path: Path) -> None:
    write(tmp_path, MODULE)
    loader = PackageLoader()
    index: ModuleIndex

    def changing_file_facts(path: str):  # type: ignore[no-untyped-def]
        index.file_changed(path)  # as if the event loop saw a save during the read
        return loader.file_facts(path)

    index = ModuleIndex(str(tmp_path), "example.com/m", changing_file_facts)
    first = index.package_at(str(tmp_path / "keys"))
    assert index.package_at(str(tmp_path / "keys")) is not first  # read again, not the kept one


def test_the_module_index_and_sibling_files_share_one_filter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One definition of which files make a package (engine/files.py): a change to it
    reaches both package reads."""
    from ctx_lsp.engine import files

    write(tmp_path, {**MODULE, "keys/generated.go": "package keys\n\nconst Generated = 1\n"})
    real = files.is_package_go_file
    monkeypatch.setattr(files, "is_package_go_file",
                        lambda name, include_tests: name != "generated.go" and real(name, include_tests))
    assert index_of(tmp_path).package("example.com/m/keys").constants == {"User": "string"}  # type: ignore[union-attr]
    assert [os.path.basename(p) for p in files.sibling_go_files(str(tmp_path / "keys" / "keys.go"), False)] == []
