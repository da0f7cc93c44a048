-- Default client configuration for Neovim 0.11+, found on 'runtimepath' by
-- vim.lsp.config["ctx_lsp"]. With this directory on 'runtimepath', one line is enough:
--
--   vim.lsp.enable("ctx_lsp")
--
-- Override fields with vim.lsp.config("ctx_lsp", { ... }) or require("ctx_lsp").setup({ ... }).
-- Empty objects are written as vim.empty_dict(): a plain {} would reach the server as [].
-- before_init offers only utf-16 positions, the encoding gopls uses on the same buffers.

-- vim.lsp.enable() loads this file when a Go buffer needs the configuration, and with a
-- missing command only writes to lsp.log: check the resolved command once it is known,
-- and warn (once per session).
vim.schedule(function()
  local config = vim.lsp.config["ctx_lsp"]
  require("ctx_lsp").check_command(config and config.cmd)
end)

return {
  cmd = { "ctx-lsp", "serve" },
  filetypes = { "go" },
  root_markers = { "go.mod", ".git" },
  before_init = function(params, config)
    require("ctx_lsp").runtime_before_init(params, config)
  end,
  init_options = vim.empty_dict(),
  settings = { ctxLsp = vim.empty_dict() },
}
