#!/usr/bin/env bash
# Checks `idc import` on the files scripts/collect-aws.sh collected from the organization
# of tests/aws/build_org.py (run by tests/aws/run.sh):
#
#   tests/aws/import-check.sh COLLECTED WORKDIR
#
# the import is deterministic and idempotent (twice, and from a copy written in another
# order: the same bytes), the design keeps the roles build_org.py made, and
# `idc check --design` replays its start (exit 0, 1 or 4, never 2). Uses ${IDC}.
set -euo pipefail

me=import-check.sh
fail() { echo "$me: FAILED: $*" >&2; exit 1; }
[ $# -eq 2 ] || fail "usage: tests/aws/import-check.sh COLLECTED WORKDIR"
collected=$1
work=$2
IDC=${IDC:?IDC: the idc binary}
source=(--identity-source active-directory:security-tooling)

"$IDC" import "$collected" "${source[@]}" --out "$work/today.toml" 2>"$work/import.err" \
    || fail "idc import exited $?: $(cat "$work/import.err")"
"$IDC" import "$collected" "${source[@]}" --out "$work/again.toml" 2>/dev/null \
    || fail "the second idc import failed"
cmp -s "$work/today.toml" "$work/again.toml" || fail "two imports of the same files differ"
# The same files written in reverse name order (another directory order).
mkdir -p "$work/reversed"
for f in $(ls "$collected" | sort -r); do cp "$collected/$f" "$work/reversed/$f"; done
"$IDC" import "$work/reversed" "${source[@]}" --out "$work/reversed.toml" 2>/dev/null \
    || fail "idc import of the reordered copy failed"
cmp -s "$work/today.toml" "$work/reversed.toml" || fail "the reordered copy imports differently"
echo "$me: idc import: the same design three times ($(wc -l <"$work/today.toml") lines)" >&2

# What build_org.py made, as the design must say it.
expect() {
    grep -qF -- "$1" "$work/today.toml" || fail "the design lacks: $1 ($2)"
}
expect 'member-1 = "security-tooling"' "the delegate keeps a model account"
expect 'RegisterDelegatedAdministrator", params = { AccountId = "security-tooling" }' "the delegate"
expect '{ caller = "security-tooling", call = "CreateMicrosoftAD" }' "the delegate's directory"
expect 'call = "CreateMicrosoftAD" },' "a directory"
[ "$(grep -c 'call = "CreateMicrosoftAD"' "$work/today.toml")" = 2 ] \
    || fail "two directories in two accounts: expected two CreateMicrosoftAD steps"
expect 'IdentitySource = "active-directory:security-tooling"' "the identity source given"
expect 'AccountId = "legacy-billing"' "a suspended account closed"
expect 'AccountId = "legacy-reports"' "a suspended account closed"
expect 'ProvisionPermissionSet' "BillingAccess, provisioned without an assignment"
expect 'TargetId = "log-archive"' "the auditors' assignment to log-archive"
expect 'ps-1 = ' "permission set names"
for a in payments-dev catalog-dev sandbox-bob; do
    if grep -q "\"$a\"" "$work/today.toml"; then fail "$a should be interchangeable"; fi
done
echo "$me: the design keeps the delegate, both directory owners, the suspended accounts and the assigned account" >&2

rc=0
"$IDC" check --design "$work/today.toml" --brief --max-time "${IDC_CHECK_TIME:-60s}" \
    >"$work/check.txt" 2>"$work/check.err" || rc=$?
case $rc in
    0 | 1 | 4) ;;
    *) fail "idc check --design exited $rc: $(head -n 3 "$work/check.err")" ;;
esac
echo "$me: idc check --design today.toml: exit $rc ($(tail -n 1 "$work/check.txt"))" >&2
