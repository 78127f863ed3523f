#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium and its chromedriver for the
# playground's browser test. Skips when both are present; without root or apt
# the browser test is skipped with a message instead.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: not installed and cannot apt-get here; the browser test will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
echo "chromium: $(chromium --version 2>/dev/null || echo installed)"
