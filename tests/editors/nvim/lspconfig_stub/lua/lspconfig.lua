-- A stand-in for nvim-lspconfig's gopls entry, for Neovim 0.7 in the tests: nvim-lspconfig
-- comes from GitHub, which the test machines cannot reach. It does what
-- `require("lspconfig").gopls.setup(opts)` does for this test: start `gopls` for Go
-- buffers, rooted at go.mod, with the settings announced after initialize and answered to
-- workspace/configuration.
local M = {}

local client_id = nil

M.gopls = {
  setup = function(opts)
    vim.api.nvim_create_autocmd("FileType", {
      pattern = { "go", "gomod" },
      callback = function(args)
        if client_id == nil then
          local go_mod = vim.fn.findfile("go.mod", vim.fn.expand("%:p:h") .. ";")
          client_id = vim.lsp.start_client({
            name = "gopls",
            cmd = { "gopls" },
            root_dir = vim.fn.fnamemodify(go_mod, ":p:h"),
            settings = opts.settings or {},
            -- As nvim-lspconfig does on Neovim 0.7, whose client does not announce that
            -- it answers workspace/configuration (gopls asks only when it does).
            capabilities = vim.tbl_deep_extend(
              "force",
              vim.lsp.protocol.make_client_capabilities(),
              { workspace = { configuration = true } }
            ),
            -- As nvim-lspconfig does: announce the settings, and gopls asks for them
            -- with workspace/configuration.
            on_init = function(client)
              client.notify("workspace/didChangeConfiguration", { settings = client.config.settings })
            end,
          })
        end
        vim.lsp.buf_attach_client(args.buf, client_id)
      end,
    })
  end,
}

return M
