#!/bin/sh
# Stands in for the user's login shell in test_vscode_e2e.py's no-Python session.
#
# code-server resolves the extension host's environment by running
#   $SHELL -i -l -c '<node> -p "<marker>" + JSON.stringify(process.env) + "<marker>"'
# and taking PATH and the rest from what that prints. This runs the command (the last
# argument) with PATH=$CTX_LSP_E2E_SHELL_PATH and reads no profile, so the extension host
# sees a PATH without python3, as after a login profile that puts no Python on PATH.
for command; do :; done
PATH="$CTX_LSP_E2E_SHELL_PATH"
export PATH
exec /bin/sh -c "$command"
