-- ctx-lsp for Neovim: starts the ctx-lsp language server for Go buffers.
--
--   require("ctx_lsp").setup({ settings = { rules = { lostcancel = "error" } } })
--
-- One entry point for every supported Neovim, with the API each version offers:
--   0.11+     vim.lsp.config() + vim.lsp.enable()  (lsp/ctx_lsp.lua holds the defaults)
--   0.8-0.10  vim.lsp.start() from a FileType autocmd (reuses one client per root)
--   0.7       vim.lsp.start_client() + vim.lsp.buf_attach_client() from a FileType autocmd
--
-- The client is named "ctx_lsp" and only adds itself to buffers; it sets no global
-- handlers, keymaps or diagnostic options, so it runs next to gopls without conflict.
-- See :help ctx_lsp.

local M = {}

M.name = "ctx_lsp"

-- The settings section the server asks for with workspace/configuration.
M.settings_section = "ctxLsp"

-- Option defaults. `settings` is the ctxLsp table itself ({ rules = ..., minSeverity = ...,
-- debounceMs = ... }); it is sent both as initializationOptions and as settings.ctxLsp.
M.defaults = {
  cmd = { "ctx-lsp", "serve" },
  filetypes = { "go" },
  root_markers = { "go.mod", ".git" },
  settings = {},
  autostart = true,
  api = "auto",
  position_encoding = "utf-16",
}

local augroup_name = "ctx_lsp_attach"

-- Options of the last setup() call; nil until setup() runs.
local active_options = nil

-- Neovim 0.7 has no vim.lsp.start, so clients are reused by root directory here.
local client_id_by_root = {}

local function has(feature)
  return vim.fn.has(feature) == 1
end

local function is_empty_table(value)
  return type(value) == "table" and next(value) == nil
end

-- Copies `value`, turning every empty table into vim.empty_dict(). Neovim encodes a plain
-- empty Lua table as the JSON array [], but every table in ctx-lsp's settings is an object.
-- Works with an explicit stack instead of recursion, like the rest of the project.
function M.json_objects(value)
  if type(value) ~= "table" then
    return value
  end
  local function fresh(source)
    return is_empty_table(source) and vim.empty_dict() or {}
  end
  local root = fresh(value)
  local pending = { { value, root } }
  while #pending > 0 do
    local source, target = unpack(table.remove(pending))
    for key, item in pairs(source) do
      if type(item) == "table" then
        local copy = fresh(item)
        target[key] = copy
        pending[#pending + 1] = { item, copy }
      else
        target[key] = item
      end
    end
  end
  return root
end

-- The directory whose entries include `marker`, searching upward from `start`.
local function find_upward(start, marker)
  local dir = start
  while dir and dir ~= "" do
    if vim.loop.fs_stat(dir .. "/" .. marker) then
      return dir
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return nil
    end
    dir = parent
  end
  return nil
end

-- Root directory for a buffer: the nearest directory holding the first marker found in
-- order (so go.mod wins over an enclosing .git), else the file's directory, else the cwd.
function M.root_dir_for(bufnr, root_markers)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" then
    return vim.loop.cwd()
  end
  local start = vim.fn.fnamemodify(path, ":p:h")
  for _, marker in ipairs(root_markers or M.defaults.root_markers) do
    local found = find_upward(start, marker)
    if found then
      return found
    end
  end
  return start
end

-- Rewrites initializationOptions and settings just before `initialize` is sent, because
-- config merging (vim.lsp.config, vim.tbl_deep_extend) may have turned vim.empty_dict()
-- values back into plain tables. The settings table is mutated in place: the client keeps
-- a reference to it and answers workspace/configuration from it.
local function make_before_init(user_before_init, position_encoding)
  return function(params, config)
    M.offer_position_encoding(params, position_encoding)
    if params.initializationOptions ~= nil then
      params.initializationOptions = M.json_objects(params.initializationOptions)
    end
    if type(config.settings) == "table" then
      for key, value in pairs(config.settings) do
        config.settings[key] = M.json_objects(value)
      end
    end
    if user_before_init then
      user_before_init(params, config)
    end
  end
end

local function merged_options(opts)
  local merged = vim.tbl_deep_extend("force", {}, M.defaults, opts or {})
  -- Lists are replaced, not merged index by index.
  for _, key in ipairs({ "cmd", "filetypes", "root_markers" }) do
    if opts and opts[key] then
      merged[key] = opts[key]
    end
  end
  return merged
end

-- The client configuration built from setup() options, shared by every Neovim version.
-- Exposed so that users who wire clients themselves can reuse it.
function M.client_config(opts)
  local options = merged_options(opts)
  local ctx_settings = M.json_objects(options.settings or {})
  local init_options = options.init_options
  if init_options == nil then
    init_options = ctx_settings
  end
  return {
    name = M.name,
    cmd = options.cmd,
    cmd_env = options.cmd_env,
    filetypes = options.filetypes,
    root_markers = options.root_markers,
    init_options = M.json_objects(init_options),
    settings = { [M.settings_section] = ctx_settings },
    capabilities = options.capabilities,
    handlers = options.handlers,
    on_attach = options.on_attach,
    on_init = options.on_init,
    on_exit = options.on_exit,
    before_init = make_before_init(options.before_init, options.position_encoding),
  }
end

local function resolve_root(bufnr, options)
  if type(options.root_dir) == "function" then
    return options.root_dir(bufnr)
  end
  if type(options.root_dir) == "string" then
    return options.root_dir
  end
  return M.root_dir_for(bufnr, options.root_markers)
end

local function is_candidate(bufnr, options)
  return vim.api.nvim_buf_is_loaded(bufnr)
    and vim.bo[bufnr].buftype == ""
    and vim.tbl_contains(options.filetypes, vim.bo[bufnr].filetype)
end

-- Config passed to vim.lsp.start / start_client: the client config minus the keys those
-- functions do not know, with the root resolved for this buffer.
local function start_config(bufnr, options)
  local config = M.client_config(options)
  config.filetypes = nil
  config.root_markers = nil
  config.root_dir = resolve_root(bufnr, options)
  return config
end

-- Neovim 0.7: one client per root directory, attached buffer by buffer.
local function attach_0_7(bufnr, options)
  local config = start_config(bufnr, options)
  local root = config.root_dir
  local id = client_id_by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    local user_on_exit = config.on_exit
    config.on_exit = function(code, signal, client_id)
      if client_id_by_root[root] == client_id then
        client_id_by_root[root] = nil
      end
      if user_on_exit then
        user_on_exit(code, signal, client_id)
      end
    end
    id = vim.lsp.start_client(config)
    if not id then
      return nil
    end
    client_id_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

-- Neovim 0.8-0.10: vim.lsp.start reuses a client with the same name and root_dir.
local function attach_0_8(bufnr, options)
  local config = start_config(bufnr, options)
  local id
  -- 0.8 always attaches the current buffer; later versions also accept opts.bufnr.
  vim.api.nvim_buf_call(bufnr, function()
    id = vim.lsp.start(config, { bufnr = bufnr })
  end)
  return id
end

-- Which client API to use: "config" (vim.lsp.config/enable, 0.11+), "start"
-- (vim.lsp.start, 0.8+) or "start_client" (0.7). "auto" takes the newest available.
local function chosen_api(options)
  local api = options.api or "auto"
  if api ~= "auto" then
    return api
  end
  if vim.lsp.config and vim.lsp.enable and has("nvim-0.11") then
    return "config"
  end
  if vim.lsp.start then
    return "start"
  end
  return "start_client"
end

local function attach(bufnr, options)
  if not is_candidate(bufnr, options) then
    return nil
  end
  if not M.check_command(options.cmd) then
    return nil
  end
  if chosen_api(options) == "start" then
    return attach_0_8(bufnr, options)
  end
  return attach_0_7(bufnr, options)
end

local function setup_autocmd(options)
  local group = vim.api.nvim_create_augroup(augroup_name, { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = options.filetypes,
    callback = function(args)
      attach(args.buf, options)
    end,
    desc = "Start or attach the ctx-lsp language server",
  })
  -- Buffers opened before setup() already had their FileType event.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    attach(bufnr, options)
  end
end

-- Neovim 0.11+: register the config and let vim.lsp.enable attach it (it also handles
-- buffers that are already open). root_dir, when given, replaces root_markers.
local function setup_0_11(options)
  -- A previous setup() with another api may have left its autocmd behind.
  pcall(vim.api.nvim_del_augroup_by_name, augroup_name)
  local config = M.client_config(options)
  config.name = nil
  if type(options.root_dir) == "string" then
    local root = options.root_dir
    config.root_dir = function(_, on_dir)
      on_dir(root)
    end
  elseif type(options.root_dir) == "function" then
    local user_root_dir = options.root_dir
    config.root_dir = function(bufnr, on_dir)
      on_dir(user_root_dir(bufnr))
    end
  end
  vim.lsp.config(M.name, config)
  if options.autostart ~= false then
    M.watch_command(options.filetypes)
    vim.lsp.enable(M.name)
  end
end

-- --- Missing server executable ------------------------------------------------------------

-- True once the missing-executable notification was shown: it is shown once per session,
-- not once per Go buffer.
local missing_notified = false

-- The notification text when `cmd` cannot be run, or nil when it can (or cannot be checked:
-- 0.11 also accepts a function as cmd).
function M.command_problem(cmd)
  if type(cmd) ~= "table" or type(cmd[1]) ~= "string" then
    return nil
  end
  if vim.fn.executable(cmd[1]) == 1 then
    return nil
  end
  return string.format(
    'ctx-lsp: the language server command "%s" was not found on $PATH, so Go buffers get no '
      .. 'ctx-lsp diagnostics. Install it (pipx install /path/to/ctx-lsp) or set `cmd` '
      .. '(for example { "python3", "-m", "ctx_lsp", "serve" }); see :help ctx_lsp-install',
    cmd[1]
  )
end

-- Whether `cmd` can be started; when it cannot, tells the user once per session with a
-- warning (kept in :messages) instead of letting every Go buffer fail to spawn it.
function M.check_command(cmd)
  local problem = M.command_problem(cmd)
  if problem == nil then
    return true
  end
  if not missing_notified then
    missing_notified = true
    -- Scheduled: FileType autocommands may run where echoing is not yet visible.
    vim.schedule(function()
      vim.notify(problem, vim.log.levels.WARN)
    end)
  end
  return false
end

-- Neovim 0.11: vim.lsp.enable() checks the command itself but only writes to lsp.log when
-- it is missing. This checks the resolved configuration's command when a buffer of one of
-- `filetypes` appears (and now, for buffers already open).
function M.watch_command(filetypes)
  local function check()
    local config = vim.lsp.config[M.name]
    M.check_command(config and config.cmd)
  end
  local group = vim.api.nvim_create_augroup("ctx_lsp_command_check", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = filetypes,
    callback = check,
    desc = "Warn once when the ctx-lsp server command is missing",
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(filetypes, vim.bo[bufnr].filetype) then
      check()
      return
    end
  end
end

-- --- Position encoding ---------------------------------------------------------------------

-- Offers only `encoding` (default "utf-16") in the initialize request. ctx-lsp takes utf-8
-- when it is offered, but gopls uses utf-16: two encodings on one buffer make Neovim 0.11's
-- :checkhealth warn and vim.lsp.util convert positions per client. utf-16 costs the server
-- nothing measurable (see :help ctx_lsp-encoding). false keeps Neovim's own offer.
function M.offer_position_encoding(params, encoding)
  if encoding == nil then
    encoding = M.defaults.position_encoding
  end
  if not encoding or type(params.capabilities) ~= "table" then
    return
  end
  params.capabilities.general = params.capabilities.general or {}
  params.capabilities.general.positionEncodings = { encoding }
end

-- before_init for lsp/ctx_lsp.lua (0.11 without setup()).
function M.runtime_before_init(params, _)
  M.offer_position_encoding(params, M.defaults.position_encoding)
end

-- Start ctx-lsp for Go buffers. Options (all optional):
--   cmd            server command, default { "ctx-lsp", "serve" }
--   cmd_env        extra environment for the server process
--   settings       ctxLsp settings: { rules = { [id] = "on"|"off"|severity }, minSeverity, debounceMs }
--   init_options   initializationOptions (default: the same table as settings)
--   filetypes      default { "go" }
--   root_markers   default { "go.mod", ".git" } (first marker found upward wins)
--   root_dir       a directory, or function(bufnr) -> directory, instead of root_markers
--   on_attach, on_init, on_exit, before_init, capabilities, handlers: passed to the client
--   autostart      false: register only (0.11: vim.lsp.config without vim.lsp.enable)
--   api            "auto" (default), "config" (0.11+), "start" (0.8+) or "start_client"
--   position_encoding  the only position encoding offered: "utf-16" (default, as gopls) or false
function M.setup(opts)
  local options = merged_options(opts)
  active_options = options
  if chosen_api(options) == "config" then
    setup_0_11(options)
    return
  end
  if options.autostart ~= false then
    setup_autocmd(options)
  end
end

-- Attach ctx-lsp to a buffer now (0 or nil: the current buffer), with setup()'s options.
-- Returns the client id, or nil when the buffer is not a Go file buffer.
function M.attach(bufnr)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  local options = active_options or merged_options(nil)
  if chosen_api(options) == "config" then
    local config = vim.lsp.config[M.name]
    if not config or not is_candidate(bufnr, options) then
      return nil
    end
    if not M.check_command(config.cmd) then
      return nil
    end
    config = vim.deepcopy(config)
    if type(config.root_dir) ~= "string" then
      config.root_dir = resolve_root(bufnr, options)
    end
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  return attach(bufnr, options)
end

-- ctx-lsp's hover alone, in a floating window: Neovim 0.7-0.10 show only the first
-- client's hover when several servers (gopls and ctx-lsp) answer; 0.11 merges them.
-- :CtxLspHover calls this; map it as you like, e.g.
--   vim.keymap.set("n", "gK", require("ctx_lsp").hover)
function M.hover()
  local bufnr = vim.api.nvim_get_current_buf()
  local get_clients = vim.lsp.get_clients or vim.lsp.get_active_clients
  local client = get_clients({ bufnr = bufnr, name = M.name })[1]
  if client == nil then
    vim.notify("ctx-lsp is not attached to this buffer", vim.log.levels.WARN)
    return
  end
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local function show(err, result)
    if err ~= nil or result == nil or result.contents == nil then
      vim.notify("ctx-lsp: no hover here", vim.log.levels.INFO)
      return
    end
    local lines = vim.lsp.util.convert_input_to_markdown_lines(result.contents)
    vim.lsp.util.open_floating_preview(lines, "markdown", { focus_id = "ctx_lsp_hover" })
  end
  if vim.fn.has("nvim-0.11") == 1 then
    client:request("textDocument/hover", params, show, bufnr)
  else
    client.request("textDocument/hover", params, show, bufnr)
  end
end

vim.api.nvim_create_user_command("CtxLspHover", function()
  M.hover()
end, { desc = "ctx-lsp hover only (next to gopls on Neovim 0.7-0.10)" })

return M
