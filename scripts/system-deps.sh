#!/usr/bin/env bash
# Installs what the tests need from the system's packages: Debian's Chromium (end-to-end
# tests), tcpdump (packet capture), gcc (the C checks of the system-call layer), strace and
# ss (what the kernel says, to compare the lab with) and a CJK font (screenshots of the
# Chinese lessons).
# Without root or apt-get it says what is missing and goes on: those tests then say plainly
# that they were skipped.
set -uo pipefail
need=()
[[ -x /usr/bin/chromium ]] || need+=(chromium)
command -v tcpdump >/dev/null 2>&1 || [[ -x /usr/bin/tcpdump ]] || [[ -x /usr/sbin/tcpdump ]] || need+=(tcpdump)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || need+=(fonts-noto-cjk)
command -v runuser >/dev/null 2>&1 || need+=(util-linux)
command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v strace >/dev/null 2>&1 || need+=(strace)
command -v ss >/dev/null 2>&1 || need+=(iproute2)
if ((${#need[@]} == 0)); then exit 0; fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${need[*]} with apt-get…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || echo "system-deps: apt-get could not install ${need[*]}; the tests that need them will be skipped"
else
  echo "system-deps: missing ${need[*]} (install them as root with apt-get); the tests that need them will be skipped"
fi
