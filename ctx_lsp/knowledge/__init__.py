"""What ctx-lsp knows about the Go APIs it checks, shared by the rules and by hover.

This layer sits between the engine and the rules (engine -> knowledge -> rules -> hover ->
lsp -> cli; ``tests/test_layers.py`` enforces the order). It holds facts about Go itself, not
about any one check:

- :mod:`ctx_lsp.knowledge.contexts`: the context package names, the constructors of
  derived contexts (with the Go version that added each) and which calls return a context,
  how a written type holds a context, context parameters;
- :mod:`ctx_lsp.knowledge.finalizer_calls`: the shapes of ``runtime.SetFinalizer`` and
  ``runtime.AddCleanup`` calls (the object, the callback, what the callback captures);
- :mod:`ctx_lsp.knowledge.finalizer_checks`: what makes such a call throw, or keep its own
  object reachable;
- :mod:`ctx_lsp.knowledge.exports`: exported names of the standard packages the rules look
  for, to tell which dot import a bare identifier comes from (rules declare them in
  ``Rule.exports``);
- :mod:`ctx_lsp.knowledge.timers`: the time package's timer APIs and the Go 1.23 change;
- :mod:`ctx_lsp.knowledge.versions`: when an API or a behaviour appeared, and which Go
  version a text assumes when the module has no go.mod.

Nothing here produces findings or hover text; a rule or a hover subject does that with
these answers. Never-returning calls stay in the engine (:data:`ctx_lsp.engine.context.
NORETURN_FUNCTIONS`), because the control-flow graph needs them below this layer.
"""
