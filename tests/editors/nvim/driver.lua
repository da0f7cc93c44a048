-- Runs after a README init.lua in tests/editors/test_neovim.py and reports what a user
-- would see. Environment:
--   DRIVER_REPORT   where to write the JSON report
--   DRIVER_MODE     "gopls": wait for both servers' diagnostics on the opened file, then
--                   record them (and :checkhealth vim.lsp on 0.11);
--                   "missing": open a second Go file, then record :messages
--   DRIVER_OTHER    "missing" mode: the second Go file to open
local HAS_0_11 = vim.fn.has("nvim-0.11") == 1
local TIMEOUT_MS = 90000
local report = {}

local function encode(value)
  return vim.json and vim.json.encode(value) or vim.fn.json_encode(value)
end

local function finish()
  local file = assert(io.open(os.getenv("DRIVER_REPORT"), "w"))
  file:write(encode(report))
  file:close()
  vim.cmd("qa!")
end

local function clients()
  if vim.lsp.get_clients then
    return vim.lsp.get_clients()
  end
  return vim.lsp.get_active_clients()
end

local function diagnostics()
  local rows = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    rows[#rows + 1] = {
      lnum = d.lnum,
      col = d.col,
      source = d.source or vim.NIL,
      code = d.code or vim.NIL,
      message = d.message,
      severity = d.severity,
    }
  end
  return rows
end

local function sources()
  local seen = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    seen[d.source or ""] = true
  end
  return seen
end

local function record_clients()
  report.clients = {}
  for _, client in ipairs(clients()) do
    report.clients[client.name] = { offset_encoding = client.offset_encoding }
  end
end

local function checkhealth_lines()
  vim.cmd("checkhealth vim.lsp")
  return vim.api.nvim_buf_get_lines(0, 0, -1, false)
end

local function gopls_mode()
  -- gopls publishes its analyzers' findings (printf here) once the package is type
  -- checked; ctx-lsp publishes its own. Both must be there before anything is counted.
  local ready = vim.wait(TIMEOUT_MS, function()
    local seen = sources()
    return seen["ctx-lsp"] and (seen["printf"] or seen["compiler"])
  end, 100)
  report.ready = ready
  -- A late second publication from either server would land in this pause.
  vim.wait(2000, function() return false end, 100)
  report.diagnostics = diagnostics()
  record_clients()
  if HAS_0_11 then
    report.checkhealth = checkhealth_lines()
  end
  finish()
end

local function missing_mode()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("DRIVER_OTHER")))
  vim.cmd("buffer 1")
  -- The warning is scheduled; give the event loop a moment.
  vim.wait(1500, function() return false end, 50)
  report.messages = vim.fn.execute("messages")
  record_clients()
  report.buffers = #vim.tbl_filter(function(b) return vim.bo[b].filetype == "go" end, vim.api.nvim_list_bufs())
  finish()
end

vim.schedule(function()
  local ok, err = pcall(os.getenv("DRIVER_MODE") == "missing" and missing_mode or gopls_mode)
  if not ok then
    report.error = tostring(err)
    finish()
  end
end)
