
# ---------------------------------------------------------------- helpers (idc's, fixed)

for account in $IDC_ACCOUNTS; do
    var="ACCOUNT_$account"
    case "${!var}" in
        [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) ;;
        *) echo "$0: set $var to the 12-digit id of the account the model calls ${account//_/-}" >&2; exit 2 ;;
    esac
done
: > "$IDC_OBSERVED" || exit 2

# Identifiers not yet resolved: well-formed placeholders, so that a call naming one reaches
# AWS (and is refused there) instead of failing the CLI's own validation.
UNRESOLVED_INSTANCE="arn:aws:sso:::instance/ssoins-0000000000000000"
UNRESOLVED_STORE="d-0000000000"
INSTANCE_ARN="$UNRESOLVED_INSTANCE"
IDENTITY_STORE="$UNRESOLVED_STORE"
OWNED_INSTANCE="$UNRESOLVED_INSTANCE"
MEMBERSHIP="00000000-0000-0000-0000-000000000000"
OUT=""
OUTCOME=""

# aws_as CALLER ARGS...: the AWS CLI as the caller (its profile when PROFILE_<caller> is set).
aws_as() {
    local profile="PROFILE_$1"
    shift
    if [ -n "${!profile}" ]; then
        aws --profile "${!profile}" "$@"
    else
        aws "$@"
    fi
}

# record STEP OUTCOME CALL: one line of the outcomes file.
record() {
    printf '%s %s %s\n' "$1" "$2" "$3" >> "$IDC_OBSERVED"
    echo "idc: step $1: $3 -> $2" >&2
}

# outcome_of RC STDERR-FILE: ok, the error code of `An error occurred (CODE)`, usage-error
# (the CLI refused the command itself: an unknown or missing parameter), or error.
outcome_of() {
    local code
    if [ "$1" -eq 0 ]; then
        echo ok
        return
    fi
    if [ "$1" -eq 252 ] || [ "$1" -eq 2 ] ||
        grep -q -e 'Parameter validation failed' -e 'Unknown options' -e '^usage: ' "$2"; then
        echo usage-error
        return
    fi
    code=$(sed -n 's/.*An error occurred (\([^)]*\)).*/\1/p' "$2" | head -n 1)
    echo "${code:-error}"
}

# step STEP CALL CALLER ARGS...: runs one call of the trace as CALLER; sets OUT (its
# output) and OUTCOME, and records the outcome.
step() {
    local label=$1 call=$2 caller=$3 err rc
    shift 3
    echo "== step $label: $call" >&2
    err=$(mktemp)
    OUT=$(aws_as "$caller" "$@" 2>"$err")
    rc=$?
    OUTCOME=$(outcome_of "$rc" "$err")
    cat "$err" >&2
    rm -f "$err"
    record "$label" "$OUTCOME" "$call"
}

# manual STEP CALL TEXT: a step with no public API (a console task, or AWS itself): the
# instruction, then a pause; Enter records `done`, a word (the console's error) records it.
# With IDC_NO_PAUSE=1 the step is not made and is recorded `skipped`.
manual() {
    local answer=""
    echo "== step $1: $2" >&2
    echo "   by hand: $3" >&2
    if [ "$IDC_NO_PAUSE" = 1 ]; then
        record "$1" skipped "$2"
        return
    fi
    printf '   press Enter when done, or type the error code shown: ' >&2
    read -r answer < /dev/tty || answer=skipped
    answer=${answer// /-}
    record "$1" "${answer:-done}" "$2"
}

# not_made STEP CALL: the management account does not make this call (a practice, IDC-7).
not_made() {
    echo "== step $1: $2 (not made: the management account's practice)" >&2
    record "$1" not-made "$2"
}

# instance_of CALLER: INSTANCE_ARN and IDENTITY_STORE of the instance CALLER administers.
instance_of() {
    local found
    found=$(aws_as "$1" sso-admin list-instances \
        --query 'Instances[0].[InstanceArn,IdentityStoreId]' --output text 2>/dev/null) || found=""
    case "$found" in
        arn:*)
            INSTANCE_ARN=${found%%$'\t'*}
            IDENTITY_STORE=${found##*$'\t'}
            ;;
        *)
            INSTANCE_ARN=$UNRESOLVED_INSTANCE
            IDENTITY_STORE=$UNRESOLVED_STORE
            ;;
    esac
}

# owned_instance OWNER: OWNED_INSTANCE, the ARN of the instance OWNER's account owns.
owned_instance() {
    local id="ACCOUNT_$1" found
    found=$(aws_as "$1" sso-admin list-instances \
        --query "Instances[?OwnerAccountId=='${!id}'].InstanceArn | [0]" --output text 2>/dev/null) ||
        found=""
    case "$found" in
        arn:*) OWNED_INSTANCE=$found ;;
        *) OWNED_INSTANCE=$UNRESOLVED_INSTANCE ;;
    esac
}

# resolve_user CALLER N: USER_N from the identity store CALLER sees (a user synced from a
# directory has an id only there); kept as it is when the store has no such user.
resolve_user() {
    local found
    found=$(aws_as "$1" identitystore get-user-id --identity-store-id "$IDENTITY_STORE" \
        --alternate-identifier "{\"UniqueAttribute\":{\"AttributePath\":\"userName\",\"AttributeValue\":\"idc-user-$2\"}}" \
        --query UserId --output text 2>/dev/null) || found=""
    if [ -n "$found" ] && [ "$found" != None ]; then printf -v "USER_$2" '%s' "$found"; fi
}

# resolve_group CALLER N: GROUP_N likewise, by display name.
resolve_group() {
    local found
    found=$(aws_as "$1" identitystore get-group-id --identity-store-id "$IDENTITY_STORE" \
        --alternate-identifier "{\"UniqueAttribute\":{\"AttributePath\":\"displayName\",\"AttributeValue\":\"idc-group-$2\"}}" \
        --query GroupId --output text 2>/dev/null) || found=""
    if [ -n "$found" ] && [ "$found" != None ]; then printf -v "GROUP_$2" '%s' "$found"; fi
}

# membership_of CALLER GROUP USER: MEMBERSHIP, the id of USER's membership of GROUP.
membership_of() {
    local group="GROUP_$2" user="USER_$3" found
    found=$(aws_as "$1" identitystore get-group-membership-id --identity-store-id "$IDENTITY_STORE" \
        --group-id "${!group}" --member-id "UserId=${!user}" \
        --query MembershipId --output text 2>/dev/null) || found=""
    MEMBERSHIP=${found:-00000000-0000-0000-0000-000000000000}
}

# ---------------------------------------------------------------- the trace
