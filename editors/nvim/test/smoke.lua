-- Headless end-to-end test of the ctx-lsp Neovim plugin (run by tests/editors/test_neovim.py).
--
--   nvim --headless --clean -u editors/nvim/test/smoke.lua path/to/leak.go
--
-- Environment:
--   CTX_LSP_TEST_CMD          JSON list: the server command ("full" mode)
--   CTX_LSP_TEST_REPORT       where to write the JSON report
--   CTX_LSP_TEST_FAKE_GOPLS   JSON list (optional): a stand-in gopls started next to ctx-lsp
--   CTX_LSP_TEST_TIMEOUT_MS   how long each step may wait (default 15000)
--   CTX_LSP_TEST_API          the plugin's `api` option in "full" mode (default "auto")
--   CTX_LSP_TEST_MODE         "full" (default), or "defaults": configure nothing (0.11:
--                             vim.lsp.enable("ctx_lsp") alone; older: setup() without
--                             options) and only after the Go buffer is open, wait for the
--                             first diagnostics and stop
--   CTX_LSP_TEST_SETTINGS     JSON object (optional, "defaults" mode): ctxLsp settings
--                             given the way each API documents them
--
-- The file given must be the leaked-cancel fixture of the test. The script sets the plugin
-- up as a user's init.lua would, lets Neovim open the file, and then, from VimEnter, walks
-- through: diagnostics arrive, hover, the preferred quick fix through
-- vim.lsp.buf.code_action(), diagnostics clear, an edit brings a leak back, the
-- source.fixAll.ctxlsp action, and a clean stop. It only stops early when a step cannot
-- go on; it records what it saw in the report and the pytest side judges, so a failure
-- shows the whole story.

local script_dir = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h")
local plugin_dir = vim.fn.fnamemodify(script_dir, ":h")
vim.opt.runtimepath:prepend(plugin_dir)

local TIMEOUT_MS = tonumber(os.getenv("CTX_LSP_TEST_TIMEOUT_MS") or "") or 15000
local HAS_0_11 = vim.fn.has("nvim-0.11") == 1
local MODE = os.getenv("CTX_LSP_TEST_MODE") or "full"
local SOURCE = "ctx-lsp"

local report = { steps = {}, exit_codes = {} }

local function encode(value)
  if vim.json then
    return vim.json.encode(value)
  end
  return vim.fn.json_encode(value)
end

-- Client methods are called with ":" from 0.11 on (the "." form is deprecated there).
local function client_call(client, method, ...)
  if HAS_0_11 then
    return client[method](client, ...)
  end
  return client[method](...)
end

local function buffer_clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  return vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
end

local function all_clients()
  if vim.lsp.get_clients then
    return vim.lsp.get_clients()
  end
  return vim.lsp.get_active_clients()
end

local function client_named(bufnr, name)
  for _, client in ipairs(buffer_clients(bufnr)) do
    if client.name == name then
      return client
    end
  end
  return nil
end

local function diagnostics_from(bufnr, source)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == source then
      found[#found + 1] = d
    end
  end
  table.sort(found, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  return found
end

local function summarise(diagnostics)
  local rows = {}
  for _, d in ipairs(diagnostics) do
    rows[#rows + 1] = {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      code = d.code,
      source = d.source,
    }
  end
  return rows
end

-- The LSP form of a vim.diagnostic entry. 0.8+ keep the original in user_data.lsp; 0.7
-- keeps only some fields, so the range is rebuilt (byte columns -> client units).
local function to_lsp_diagnostic(bufnr, d, offset_encoding)
  local original = d.user_data and d.user_data.lsp
  if original and original.range then
    return original
  end
  local function character(lnum, col)
    local line = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1] or ""
    local utf32, utf16 = vim.str_utfindex(line, math.min(col, #line))
    if offset_encoding == "utf-8" then
      return col
    end
    return offset_encoding == "utf-32" and utf32 or utf16
  end
  local lsp = vim.tbl_extend("force", {}, original or {})
  lsp.range = {
    start = { line = d.lnum, character = character(d.lnum, d.col) },
    ["end"] = { line = d.end_lnum, character = character(d.end_lnum, d.end_col) },
  }
  lsp.severity = d.severity
  lsp.message = d.message
  lsp.source = d.source
  lsp.code = d.code
  return lsp
end

local function hover_text(result)
  if type(result) ~= "table" then
    return nil
  end
  local contents = result.contents
  if type(contents) == "string" then
    return contents
  end
  if contents.value then
    return contents.value
  end
  local parts = {}
  for _, part in ipairs(contents) do
    parts[#parts + 1] = type(part) == "string" and part or part.value
  end
  return table.concat(parts, "\n")
end

local function buffer_lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

-- Waits for `probe` to return a truthy value; records the step and raises on timeout.
local function wait_for(step, probe)
  local value
  local ok = vim.wait(TIMEOUT_MS, function()
    value = probe()
    return value ~= nil and value ~= false
  end, 20)
  report.steps[#report.steps + 1] = { name = step, ok = ok }
  if not ok then
    error("timed out: " .. step, 0)
  end
  return value
end

local function request(client, method, params, bufnr)
  local response, err = client_call(client, "request_sync", method, params, TIMEOUT_MS, bufnr)
  if not response then
    error(method .. " failed: " .. tostring(err), 0)
  end
  if response.err then
    error(method .. " returned an error: " .. encode(response.err), 0)
  end
  return response.result
end

local function resolve_if_needed(client, action, bufnr)
  if action.edit or action.command then
    return action
  end
  return request(client, "codeAction/resolve", action, bufnr)
end

-- Stand-in for the user picking from vim.ui.select: takes ctx-lsp's preferred quick fix
-- and records every action offered (by any server) so the test can see what was listed.
local function choose_preferred_quickfix(offered)
  return function(items, _, on_choice)
    local chosen, chosen_index
    for index, item in ipairs(items) do
      local action = item.action or item[2]
      local client_id = (item.ctx and item.ctx.client_id) or item[1]
      local client = vim.lsp.get_client_by_id(client_id)
      local client_name = client and client.name or "?"
      offered[#offered + 1] = {
        client = client_name,
        title = action.title,
        kind = action.kind,
        isPreferred = action.isPreferred == true,
      }
      if not chosen and client_name == "ctx_lsp" and action.isPreferred and action.kind == "quickfix" then
        chosen, chosen_index = item, index
      end
    end
    on_choice(chosen, chosen_index)
  end
end

local function record_initialization(params, config)
  report.sent_init_options = encode(params.initializationOptions)
  report.sent_settings = encode(config.settings)
end

local function on_exit_recorder(name)
  return function(code, signal)
    report.exit_codes[name] = { code = code, signal = signal }
  end
end

local function start_fake_gopls(cmd)
  local on_exit = on_exit_recorder("gopls")
  if HAS_0_11 then
    vim.lsp.config("gopls", { cmd = cmd, filetypes = { "go" }, root_markers = { "go.mod" }, on_exit = on_exit })
    vim.lsp.enable("gopls")
    return
  end
  local client_id
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "go",
    callback = function(args)
      local config = { name = "gopls", cmd = cmd, root_dir = vim.loop.cwd(), on_exit = on_exit }
      if vim.lsp.start then
        vim.api.nvim_buf_call(args.buf, function()
          vim.lsp.start(config)
        end)
        return
      end
      client_id = client_id or vim.lsp.start_client(config)
      vim.lsp.buf_attach_client(args.buf, client_id)
    end,
  })
end

-- Empty tables must reach the server as JSON objects, also after a config merge has
-- dropped vim.empty_dict()'s marker (which before_init repairs).
local function check_empty_tables(ctx_lsp)
  local config = ctx_lsp.client_config({ settings = { rules = {} } })
  local params = { initializationOptions = { rules = {} } }
  local merged = { settings = { ctxLsp = { rules = {} } } }
  config.before_init(params, merged)
  report.empty_tables = {
    init_options = encode(config.init_options),
    settings = encode(config.settings),
    repaired_init_options = encode(params.initializationOptions),
    repaired_settings = encode(merged.settings),
  }
end

-- Common start: the client attaches by itself and publishes the leak.
local function wait_for_first_diagnostics(bufnr)
  local v = vim.version()
  report.nvim_version = string.format("%d.%d.%d", v.major, v.minor, v.patch)
  report.filetype = vim.bo[bufnr].filetype
  local client = wait_for("ctx_lsp client attached", function()
    return client_named(bufnr, "ctx_lsp")
  end)
  local initial = wait_for("initial diagnostics", function()
    local found = diagnostics_from(bufnr, SOURCE)
    return #found > 0 and found
  end)
  report.enabled_with_vim_lsp_enable = vim.lsp.is_enabled ~= nil and vim.lsp.is_enabled("ctx_lsp")
  report.client = {
    cmd = client.config.cmd,
    root_dir = client.config.root_dir,
    offset_encoding = client.offset_encoding,
  }
  report.initial = summarise(initial)
  return client, initial
end

-- "defaults" mode: nothing configured but an exit observer, so the server must come from
-- the default command and (0.11) from lsp/ctx_lsp.lua.
local function scenario_defaults()
  local bufnr = vim.api.nvim_get_current_buf()
  wait_for_first_diagnostics(bufnr)
  if HAS_0_11 then
    report.resolved_init_options = encode(vim.lsp.config.ctx_lsp.init_options)
    report.resolved_settings = encode(vim.lsp.config.ctx_lsp.settings)
  end
end

local function scenario_full()
  local bufnr = vim.api.nvim_get_current_buf()
  local client, initial = wait_for_first_diagnostics(bufnr)
  report.clients_on_buffer = {}
  for _, c in ipairs(buffer_clients(bufnr)) do
    report.clients_on_buffer[#report.clients_on_buffer + 1] = c.name
  end
  table.sort(report.clients_on_buffer)

  local first = initial[1]
  local uri = vim.uri_from_bufnr(bufnr)
  local at_finding = request(client, "textDocument/hover", {
    textDocument = { uri = uri },
    position = to_lsp_diagnostic(bufnr, first, client.offset_encoding).range.start,
  }, bufnr)
  report.hover_at_finding = hover_text(at_finding)

  -- The quick fix, the way a user gets it: cursor on the finding, code_action(), pick.
  vim.api.nvim_win_set_cursor(0, { first.lnum + 1, first.col })
  local offered = {}
  report.offered_actions = offered
  local original_line = buffer_lines(bufnr)[first.lnum + 1]
  vim.ui.select = choose_preferred_quickfix(offered)
  vim.lsp.buf.code_action()
  wait_for("quick fix applied", function()
    return buffer_lines(bufnr)[first.lnum + 1] ~= original_line
  end)
  report.after_quickfix = buffer_lines(bufnr)
  wait_for("diagnostics cleared after quick fix", function()
    return #diagnostics_from(bufnr, SOURCE) == 0
  end)

  -- An ordinary edit: delete the inserted defer line, which leaks the cancel func again.
  local defer_line
  for index, line in ipairs(buffer_lines(bufnr)) do
    if line:match("^%s*defer ") then
      defer_line = index
    end
  end
  if not defer_line then
    error("the quick fix inserted no defer line", 0)
  end
  vim.api.nvim_buf_set_lines(bufnr, defer_line - 1, defer_line, false, {})
  local after_edit = wait_for("diagnostics back after edit", function()
    local found = diagnostics_from(bufnr, SOURCE)
    return #found > 0 and found
  end)
  report.after_edit = summarise(after_edit)

  -- source.fixAll.ctxlsp over the whole buffer, applied like an editor command would.
  local lsp_diagnostics = {}
  for _, d in ipairs(after_edit) do
    lsp_diagnostics[#lsp_diagnostics + 1] = to_lsp_diagnostic(bufnr, d, client.offset_encoding)
  end
  local line_count = vim.api.nvim_buf_line_count(bufnr)
  local actions = request(client, "textDocument/codeAction", {
    textDocument = { uri = uri },
    range = { start = { line = 0, character = 0 }, ["end"] = { line = line_count, character = 0 } },
    context = { diagnostics = lsp_diagnostics, only = { "source.fixAll.ctxlsp" } },
  }, bufnr) or {}
  report.fix_all_actions = {}
  local fix_all
  for _, action in ipairs(actions) do
    report.fix_all_actions[#report.fix_all_actions + 1] = { title = action.title, kind = action.kind }
    if action.kind == "source.fixAll.ctxlsp" and not fix_all then
      fix_all = action
    end
  end
  if not fix_all then
    error("no source.fixAll.ctxlsp action offered", 0)
  end
  fix_all = resolve_if_needed(client, fix_all, bufnr)
  vim.lsp.util.apply_workspace_edit(fix_all.edit, client.offset_encoding)
  report.after_fix_all = buffer_lines(bufnr)
  wait_for("diagnostics cleared after fixAll", function()
    return #diagnostics_from(bufnr, SOURCE) == 0
  end)

  report.other_diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source ~= SOURCE then
      report.other_diagnostics[#report.other_diagnostics + 1] = { source = d.source, message = d.message }
    end
  end
end

-- Stop every client and wait for the servers to exit before quitting: `qa!` right away
-- would close the pipes under the server's shutdown reply.
local function stop_clients()
  for _, client in ipairs(all_clients()) do
    client_call(client, "stop")
  end
  local stopped = vim.wait(TIMEOUT_MS, function()
    return #all_clients() == 0 and report.exit_codes.ctx_lsp ~= nil
  end, 20)
  report.steps[#report.steps + 1] = { name = "clients stopped", ok = stopped }
end

local function finish()
  report.messages = vim.fn.execute("messages")
  local path = assert(os.getenv("CTX_LSP_TEST_REPORT"), "CTX_LSP_TEST_REPORT is not set")
  local file = assert(io.open(path, "w"))
  file:write(encode(report))
  file:close()
  vim.cmd("qa!")
end

local function main()
  local scenario = MODE == "defaults" and scenario_defaults or scenario_full
  local ok, err = xpcall(scenario, debug.traceback)
  if not ok then
    report.error = err
  end
  local stop_ok, stop_err = xpcall(stop_clients, debug.traceback)
  if not stop_ok then
    report.error = (report.error or "") .. "\nwhile stopping: " .. stop_err
  end
  finish()
end

-- Set up as a user's init.lua would; Neovim opens the file afterwards.
local function env_json(name)
  local raw = os.getenv(name)
  if raw == nil or raw == "" then
    return nil
  end
  return vim.fn.json_decode(raw)
end

local function configure_defaults()
  local on_exit = on_exit_recorder("ctx_lsp")
  -- Settings in the form each API documents: settings.ctxLsp for vim.lsp.config, the
  -- ctxLsp table itself for setup().
  local settings = env_json("CTX_LSP_TEST_SETTINGS")
  if HAS_0_11 then
    local overrides = { on_exit = on_exit }
    if settings then
      overrides.settings = { ctxLsp = settings }
    end
    vim.lsp.config("ctx_lsp", overrides)
    vim.lsp.enable("ctx_lsp")
  else
    require("ctx_lsp").setup({ on_exit = on_exit, settings = settings })
  end
end

local function configure()
  if MODE == "defaults" then
    return configure_defaults()
  end
  local ctx_lsp = require("ctx_lsp")
  check_empty_tables(ctx_lsp)
  ctx_lsp.setup({
    cmd = assert(env_json("CTX_LSP_TEST_CMD"), "CTX_LSP_TEST_CMD is not set"),
    settings = { rules = { lostcancel = "error" }, debounceMs = 50 },
    before_init = record_initialization,
    on_exit = on_exit_recorder("ctx_lsp"),
    api = os.getenv("CTX_LSP_TEST_API") or "auto",
  })
  local fake_gopls = env_json("CTX_LSP_TEST_FAKE_GOPLS")
  if fake_gopls then
    start_fake_gopls(fake_gopls)
  end
end

-- An error here would leave headless Neovim waiting at a prompt: report it and quit.
local function configure_or_quit()
  local configured, configure_error = xpcall(configure, debug.traceback)
  if not configured then
    report.error = "setup failed: " .. configure_error
    finish()
  end
end

-- "full" sets up before the file is opened, like an init.lua; "defaults" does it once the
-- Go buffer already exists, which exercises attaching to buffers opened earlier.
if MODE ~= "defaults" then
  configure_or_quit()
end

vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  callback = function()
    if MODE == "defaults" then
      configure_or_quit()
    end
    vim.schedule(main)
  end,
})
