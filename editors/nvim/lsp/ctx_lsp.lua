-- Default client configuration for Neovim 0.11+, found on 'runtimepath' by
-- vim.lsp.config["ctx_lsp"]. With this directory on 'runtimepath', one line is enough:
--
--   vim.lsp.enable("ctx_lsp")
--
-- Override fields with vim.lsp.config("ctx_lsp", { ... }) or require("ctx_lsp").setup({ ... }).
-- Empty objects are written as vim.empty_dict(): a plain {} would reach the server as [].
return {
  cmd = { "ctx-lsp", "serve" },
  filetypes = { "go" },
  root_markers = { "go.mod", ".git" },
  init_options = vim.empty_dict(),
  settings = { ctxLsp = vim.empty_dict() },
}
