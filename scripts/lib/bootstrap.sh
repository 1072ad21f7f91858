# Sourced by the scripts in this folder: installs pnpm 10 when missing and the workspace's
# dependencies from the lockfile. Needs Node.js 20 and npm, as a fresh machine has.
PNPM_VERSION=10.34.9

ensure_dependencies() {
  if ! command -v pnpm >/dev/null 2>&1 || [[ "$(pnpm --version)" != 10.* ]]; then
    echo "installing pnpm ${PNPM_VERSION}"
    npm install --global "pnpm@${PNPM_VERSION}" >/dev/null
  fi
  pnpm install --frozen-lockfile --reporter=append-only
}
