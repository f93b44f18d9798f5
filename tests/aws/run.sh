#!/usr/bin/env bash
# The import side of issue 20 against moto's server (docs/import.md, "Tested against moto"):
#
#   tests/aws/run.sh [WORKDIR]      # WORKDIR keeps the files; default a temporary one
#
# installs moto[server], awscli and boto3 when missing (pip), starts tests/aws/moto_server.py
# on a free loopback port (stopped on exit), builds an organization with
# tests/aws/build_org.py, collects it with scripts/collect-aws.sh (AWS_ENDPOINT_URL),
# checks the import (tests/aws/import-check.sh), checks that the import refuses what
# moto accepts and AWS does not (a second delegate, the delegate's account removed), and
# runs tests/aws/exported.sh when it exists (on moto's server, reset; AWS_ENDPOINT_URL and
# IDC set). Uses ${IDC:-target/release/idc}.
set -euo pipefail

me=tests/aws/run.sh
fail() { echo "$me: FAILED: $*" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
IDC=${IDC:-$root/target/release/idc}
case $IDC in /*) ;; *) IDC=$root/$IDC ;; esac
export IDC
[ -x "$IDC" ] || fail "no idc at $IDC (cargo build --release --bin idc, or set IDC)"

if ! python3 -c 'import moto.server, boto3, flask' 2>/dev/null; then
    echo "$me: installing moto[server] and boto3 (pip)" >&2
    python3 -m pip install --quiet 'moto[server]' boto3 || fail "pip install 'moto[server]' boto3"
fi
if ! command -v aws >/dev/null; then
    echo "$me: installing awscli (pip)" >&2
    python3 -m pip install --quiet awscli || fail "pip install awscli"
    command -v aws >/dev/null || fail "awscli installed but 'aws' is not on PATH"
fi

if [ $# -ge 1 ]; then
    work=$1
    rm -rf "$work"
    mkdir -p "$work"
    cleanup_work=""
else
    work=$(mktemp -d)
    cleanup_work=$work
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$here/moto_server.py" "$port" >"$work/moto.log" 2>&1 &
moto=$!
cleanup() {
    kill "$moto" 2>/dev/null || true
    wait "$moto" 2>/dev/null || true
    if [ -n "$cleanup_work" ]; then rm -rf "$cleanup_work"; fi
}
trap cleanup EXIT
for _ in $(seq 1 60); do
    grep -q ready "$work/moto.log" 2>/dev/null && break
    kill -0 "$moto" 2>/dev/null || fail "moto's server did not start: $(tail -n 3 "$work/moto.log")"
    sleep 0.5
done
grep -q ready "$work/moto.log" || fail "moto's server is not ready after 30 s"
echo "$me: moto's server on 127.0.0.1:$port" >&2

unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_PROFILE
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:$port
python3 "$here/build_org.py" >"$work/accounts.txt" || fail "build_org.py"
echo "$me: built an organization of $(wc -l <"$work/accounts.txt") accounts" >&2

# moto does not provision a permission set with its assignments (AWS does): list them for
# every account. Directory Service is per account: through OrganizationAccountAccessRole.
COLLECT_ASSIGNMENTS=all COLLECT_DS_ROLE=OrganizationAccountAccessRole \
    "$root/scripts/collect-aws.sh" "$work/collected" 2>"$work/collect.err" \
    || fail "collect-aws.sh: $(tail -n 2 "$work/collect.err")"
echo "$me: collect-aws.sh: $(grep -c ': aws ' "$work/collect.err") calls, $(ls "$work/collected" | wc -l) files" >&2

bash "$here/import-check.sh" "$work/collected" "$work"

# What moto accepts and AWS refuses: the import must refuse it, naming the file (exit 2).
refused() {
    local dir=$1 words=$2 rc=0
    "$IDC" import "$dir" --identity-source active-directory:security-tooling \
        >/dev/null 2>"$dir.err" || rc=$?
    [ $rc = 2 ] || fail "idc import $dir: exit $rc, expected 2: $(cat "$dir.err")"
    [ "$(wc -l <"$dir.err")" = 1 ] || fail "idc import $dir: not one line: $(cat "$dir.err")"
    grep -qF -- "$words" "$dir.err" || fail "idc import $dir: '$words' not in: $(cat "$dir.err")"
}
id_of() { awk -v n="$1" '$2 == n { print $1 }' "$work/accounts.txt"; }
cp -r "$work/collected" "$work/two-delegates"
aws organizations register-delegated-administrator --account-id "$(id_of log-archive)" \
    --service-principal sso.amazonaws.com --endpoint-url "$AWS_ENDPOINT_URL"
aws organizations list-delegated-administrators --service-principal sso.amazonaws.com \
    --endpoint-url "$AWS_ENDPOINT_URL" --output json \
    >"$work/two-delegates/organizations-list-delegated-administrators.json"
refused "$work/two-delegates" "organizations-list-delegated-administrators.json: DelegatedAdministrators: 2 delegated administrators"
aws organizations deregister-delegated-administrator --account-id "$(id_of log-archive)" \
    --service-principal sso.amazonaws.com --endpoint-url "$AWS_ENDPOINT_URL"
cp -r "$work/collected" "$work/delegate-removed"
aws organizations remove-account-from-organization --account-id "$(id_of security-tooling)" \
    --endpoint-url "$AWS_ENDPOINT_URL"
aws organizations list-accounts --endpoint-url "$AWS_ENDPOINT_URL" --output json \
    >"$work/delegate-removed/organizations-list-accounts.json"
refused "$work/delegate-removed" "the delegated administrator $(id_of security-tooling) is not an account of organizations-list-accounts.json"
echo "$me: a second delegate and a removed delegate (moto accepts both) are refused" >&2

if [ -f "$here/exported.sh" ]; then
    # A fresh moto: the checks above left an organization behind.
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/moto-api/reset", method="POST"))' \
        "$AWS_ENDPOINT_URL" || fail "could not reset moto's server"
    echo "$me: tests/aws/exported.sh (on moto's server, reset)" >&2
    bash "$here/exported.sh" || fail "tests/aws/exported.sh"
fi
echo "$me: ok" >&2
