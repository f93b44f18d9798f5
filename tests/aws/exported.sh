#!/usr/bin/env bash
# Every trace of the default check (its counterexamples and examples), exported as an
# aws-cli script and run against moto's server: botocore validates each request there, so a
# parameter that is unknown or missing fails this script (`usage-error`). Where moto's
# outcome is not the model's, the table at the end says so: moto's gaps, not requirements
# (docs/import.md, "Replaying a trace against a sandbox").
#
#   AWS_ENDPOINT_URL=http://127.0.0.1:PORT IDC=target/debug/idc tests/aws/exported.sh [TRACE...]
#
# AWS_ENDPOINT_URL names a running moto server (tests/aws/moto_server.py PORT); IDC the idc
# binary; it needs the AWS CLI, curl and jq. With TRACE files, those are run instead of the default check's traces and
# tests/aws/every-call.json (every operation of the model once). Exit 0: every
# request passed validation; 1: some did not; 2: a setup step failed.
set -u

: "${AWS_ENDPOINT_URL:?set AWS_ENDPOINT_URL to the moto server (tests/aws/moto_server.py PORT)}"
: "${IDC:?set IDC to the idc binary}"
for tool in aws curl jq; do
    command -v "$tool" > /dev/null || { echo "exported.sh: needs $tool" >&2; exit 2; }
done
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-testing}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-testing}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_MAX_ATTEMPTS=1 AWS_RETRY_MODE=standard AWS_PAGER=""
unset AWS_PROFILE

work=$(mktemp -d)
[ -n "${IDC_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
[ -z "${IDC_KEEP:-}" ] || echo "exported.sh: keeping $work" >&2

die() {
    echo "exported.sh: $*" >&2
    exit 2
}

if [ $# -gt 0 ]; then
    traces=("$@")
else
    "$IDC" check --out "$work/traces" > /dev/null
    rc=$?
    # 0: every property holds; 1: some are violated. Both wrote the traces.
    [ "$rc" -le 1 ] || die "idc check --out failed (exit $rc)"
    # And every operation once: its command must pass botocore's validation too.
    traces=("$work"/traces/*.json "$(dirname "$0")/every-call.json")
fi
[ -e "${traces[0]}" ] || die "no traces"

# setup SCRIPT: a fresh moto with the organization and the member accounts the script's
# map names, and a VPC with two subnets for directories; exports ACCOUNT_*, VPC_*, SUBNETS_*.
setup() {
    local accounts account id vpc a b
    curl -s -f -X POST "$AWS_ENDPOINT_URL/moto-api/reset" > /dev/null || die "cannot reset moto at $AWS_ENDPOINT_URL"
    aws organizations create-organization --feature-set ALL > /dev/null || die "create-organization"
    accounts=$(sed -n 's/^IDC_ACCOUNTS="\(.*\)"$/\1/p' "$1")
    vpc=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId --output text) || die "create-vpc"
    a=$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 --availability-zone "${AWS_DEFAULT_REGION}a" \
        --query Subnet.SubnetId --output text) || die "create-subnet"
    b=$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.2.0/24 --availability-zone "${AWS_DEFAULT_REGION}b" \
        --query Subnet.SubnetId --output text) || die "create-subnet"
    for account in $accounts; do
        if [ "$account" = management ]; then
            id=$(aws organizations describe-organization --query Organization.MasterAccountId --output text) ||
                die "describe-organization"
        else
            id=$(aws organizations create-account --email "idc-$account@example.com" --account-name "idc-$account" \
                --query CreateAccountStatus.AccountId --output text) || die "create-account $account"
        fi
        export "ACCOUNT_$account=$id" "VPC_$account=$vpc" "SUBNETS_$account=$a,$b"
    done
}

failed=0
rows=()
n=0
for trace in "${traces[@]}"; do
    name=$(basename "$trace" .json)
    n=$((n + 1))
    "$IDC" export --format aws-cli "$trace" > "$work/$name.sh" || die "idc export $trace"
    bash -n "$work/$name.sh" || die "$name.sh is not valid bash"
    setup "$work/$name.sh"
    IDC_NO_PAUSE=1 IDC_OBSERVED="$work/$name.observed" bash "$work/$name.sh" 2> "$work/$name.log" < /dev/null
    if grep -q '^[^ ]* usage-error ' "$work/$name.observed"; then
        echo "FAIL $name: the AWS CLI refused a command (botocore validation):" >&2
        grep -B2 -A8 -e 'Parameter validation failed' -e 'usage:' -e 'Unknown options' "$work/$name.log" >&2
        failed=1
    fi
    "$IDC" replay --observed "$work/$name.observed" --json "$trace" > "$work/$name.judged.json"
    rc=$?
    [ "$rc" -le 1 ] || die "idc replay --observed $name (exit $rc)"
    while IFS= read -r row; do
        rows+=("| $name | $row |")
    done < <(jq -r '.steps[] | select(.agree == false)
        | "\(.step) | `\(.call)` | \(.model)\(if .reading then " (" + .reading + ")" else "" end) | \(.observed) |"' \
        "$work/$name.judged.json" | sed 's/ |$//')
    skipped=$(jq -r '.skipped' "$work/$name.judged.json")
    judged=$(jq -r '.judged' "$work/$name.judged.json")
    echo "$name: $(jq -r '.result' "$work/$name.judged.json") ($judged judged, $skipped by hand: skipped)" >&2
done

echo
echo "Where moto's outcome differs from the model's ($n traces):"
echo
echo "| trace | step | call | model | moto |"
echo "|---|---|---|---|---|"
for row in "${rows[@]+"${rows[@]}"}"; do
    echo "$row"
done
if [ "$failed" -ne 0 ]; then
    echo "exported.sh: some requests failed botocore's validation (above)" >&2
    exit 1
fi
echo >&2
echo "exported.sh: $n scripts, every request passed botocore's validation" >&2
