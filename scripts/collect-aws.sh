#!/usr/bin/env bash
# Collects what `idc import` reads (docs/import.md, "Collecting: scripts/collect-aws.sh"):
# one JSON file per read-only AWS call, named SERVICE-OPERATION[.SUFFIX].json, in OUTDIR.
#
#   scripts/collect-aws.sh OUTDIR
#
# Run it with the management account's credentials (or an Organizations read-only role in
# it), in the Region of IAM Identity Center. AWS CLI v1 or v2; the usual variables
# (AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_REGION or AWS_DEFAULT_REGION ...) apply, and
# AWS_ENDPOINT_URL is passed as --endpoint-url (CLI v1 does not read it). Only
# List*/Describe*/Get* calls, every page (never --no-paginate). Options, as variables:
#
#   COLLECT_DS_PROFILES="p1 p2"   also describe the directories of the accounts of these
#                                 profiles (Directory Service is per account)
#   COLLECT_DS_ROLE=ROLE          also describe the directories of every ACTIVE member
#                                 account through sts assume-role into role ROLE there
#                                 (e.g. OrganizationAccountAccessRole)
#   COLLECT_ASSIGNMENTS=all       list assignments for every account and permission set,
#                                 not only where the set is provisioned (AWS provisions a
#                                 set with its first assignment; moto does not)
#
# Needs jq or python3 to read ids from the files it writes. One line per call on stderr.
set -euo pipefail

me=collect-aws.sh
die() { echo "$me: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: scripts/collect-aws.sh OUTDIR"
out=$1
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
    die "$out is not empty: collect into a new directory (stale files would be imported too)"
fi
mkdir -p "$out"
command -v aws >/dev/null || die "the AWS CLI (v1 or v2) is not installed"
export AWS_PAGER=""    # CLI v2 pages output through less by default
if [ -z "${AWS_DEFAULT_REGION:-}" ] && [ -n "${AWS_REGION:-}" ]; then
    export AWS_DEFAULT_REGION=$AWS_REGION   # CLI v1 reads only AWS_DEFAULT_REGION
fi

endpoint=()
if [ -n "${AWS_ENDPOINT_URL:-}" ]; then
    endpoint=(--endpoint-url "$AWS_ENDPOINT_URL")
fi

# aws ARGS...: the CLI with the endpoint and JSON output; on failure, the command and the
# CLI's last line of error.
run_aws() {
    local err rc=0
    err=$(mktemp)
    aws ${endpoint[@]+"${endpoint[@]}"} --output json "$@" 2>"$err" || rc=$?
    if [ $rc -ne 0 ]; then
        echo "$me: aws $* failed (exit $rc): $(grep -v '^\s*$' "$err" | tail -n 1)" >&2
        rm -f "$err"
        exit 1
    fi
    rm -f "$err"
}

# call FILE ARGS...: one read-only call, its output in OUTDIR/FILE.json.
call() {
    local file=$1
    shift
    echo "$me: aws $* > $file.json" >&2
    run_aws "$@" >"$out/$file.json.part"
    mv "$out/$file.json.part" "$out/$file.json"
}

# field FILE JQ-PATH: the strings at a path (`.Accounts[].Id`), one a line.
if command -v jq >/dev/null; then
    field() { jq -r "$2 // empty" "$out/$1.json"; }
elif command -v python3 >/dev/null; then
    field() {
        python3 - "$out/$1.json" "$2" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
vals = [doc]
for part in sys.argv[2].lstrip(".").split("."):
    nxt = []
    for v in vals:
        key, each = (part[:-2], True) if part.endswith("[]") else (part, False)
        v = v.get(key) if isinstance(v, dict) and key else v
        if v is None:
            continue
        nxt.extend(v if each else [v])
    vals = nxt
for v in vals:
    print(v)
PY
    }
else
    die "needs jq or python3 to read ids from the files it writes"
fi

# Organizations.
call organizations-describe-organization organizations describe-organization
call organizations-list-accounts organizations list-accounts
call organizations-list-aws-service-access-for-organization \
    organizations list-aws-service-access-for-organization
call organizations-list-delegated-administrators \
    organizations list-delegated-administrators --service-principal sso.amazonaws.com
management=$(field organizations-describe-organization .Organization.MasterAccountId)
accounts=$(field organizations-list-accounts '.Accounts[].Id')

# IAM Identity Center: the organization instance (in the management account).
call sso-admin-list-instances sso-admin list-instances
instance=""
store=""
if command -v jq >/dev/null; then
    instance=$(jq -r --arg m "$management" \
        '[.Instances[] | select(.OwnerAccountId == $m)][0].InstanceArn // empty' \
        "$out/sso-admin-list-instances.json")
    store=$(jq -r --arg m "$management" \
        '[.Instances[] | select(.OwnerAccountId == $m)][0].IdentityStoreId // empty' \
        "$out/sso-admin-list-instances.json")
else
    read -r instance store < <(python3 -c '
import json, sys
for i in json.load(open(sys.argv[1]))["Instances"]:
    if i.get("OwnerAccountId") == sys.argv[2]:
        print(i["InstanceArn"], i["IdentityStoreId"]); break' \
        "$out/sso-admin-list-instances.json" "$management") || true
fi

if [ -n "$instance" ]; then
    call sso-admin-list-permission-sets sso-admin list-permission-sets --instance-arn "$instance"
    for ps in $(field sso-admin-list-permission-sets '.PermissionSets[]'); do
        id=${ps##*/}
        call "sso-admin-describe-permission-set.$id" \
            sso-admin describe-permission-set --instance-arn "$instance" --permission-set-arn "$ps"
        call "sso-admin-list-accounts-for-provisioned-permission-set.$id" \
            sso-admin list-accounts-for-provisioned-permission-set \
            --instance-arn "$instance" --permission-set-arn "$ps"
        if [ "${COLLECT_ASSIGNMENTS:-provisioned}" = all ]; then
            targets=$accounts
        else
            targets=$(field "sso-admin-list-accounts-for-provisioned-permission-set.$id" '.AccountIds[]')
        fi
        for account in $targets; do
            call "sso-admin-list-account-assignments.$account.$id" \
                sso-admin list-account-assignments --instance-arn "$instance" \
                --account-id "$account" --permission-set-arn "$ps"
        done
    done
    call identitystore-list-users identitystore list-users --identity-store-id "$store"
    call identitystore-list-groups identitystore list-groups --identity-store-id "$store"
    for group in $(field identitystore-list-groups '.Groups[].GroupId'); do
        call "identitystore-list-group-memberships.$group" \
            identitystore list-group-memberships --identity-store-id "$store" --group-id "$group"
    done
else
    echo "$me: no organization instance of IAM Identity Center: no sso-admin or identitystore listing" >&2
fi

# Directory Service, per account: the caller's, then the optional profiles and role.
self=$(run_aws sts get-caller-identity --query Account --output text | tr -d '\r\n"')
call "ds-describe-directories.$self" ds describe-directories
for profile in ${COLLECT_DS_PROFILES:-}; do
    account=$(run_aws --profile "$profile" sts get-caller-identity --query Account --output text | tr -d '\r\n"')
    call "ds-describe-directories.$account" --profile "$profile" ds describe-directories
done
if [ -n "${COLLECT_DS_ROLE:-}" ]; then
    active=$(if command -v jq >/dev/null; then
        jq -r '.Accounts[] | select(.Status == "ACTIVE") | .Id' "$out/organizations-list-accounts.json"
    else
        python3 -c 'import json,sys; [print(a["Id"]) for a in json.load(open(sys.argv[1]))["Accounts"] if a["Status"] == "ACTIVE"]' \
            "$out/organizations-list-accounts.json"
    fi)
    for account in $active; do
        [ "$account" = "$self" ] && continue
        [ -e "$out/ds-describe-directories.$account.json" ] && continue
        role="arn:aws:iam::$account:role/$COLLECT_DS_ROLE"
        echo "$me: aws sts assume-role --role-arn $role" >&2
        creds=$(run_aws sts assume-role --role-arn "$role" --role-session-name idc-collect \
            --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
        read -r key secret token <<<"$creds"
        (
            unset AWS_PROFILE
            export AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$token
            call "ds-describe-directories.$account" ds describe-directories
        )
    done
fi
echo "$me: wrote $(ls "$out" | wc -l) files in $out" >&2
