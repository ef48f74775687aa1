#!/usr/bin/env bash
# Grants the rollout's managed identity exactly the Microsoft Graph application permissions its strategy
# and track need (no more), by app role assignment on the identity's service principal. Idempotent: roles
# already assigned are skipped. Roles the identity holds on Graph that are not needed are reported, and
# removed only with --prune.
#
#   infra/grant-graph-permissions.sh <perUserMfa|conditionalAccessGroup|issueTap> [--track passkey|authenticator|phone]
#       [--with-mail] [--with-setup]
#       (--principal-id <object-id> | --resource-group <rg> --identity-name <name>)
#       [--prune] [--dry-run] [--graph-url https://graph.microsoft.com]
#   infra/grant-graph-permissions.sh --list <perUserMfa|conditionalAccessGroup|issueTap> [--track …] [--with-mail] [--with-setup]
#
# --track: MFA_TARGET_METHOD (default passkey); the passkey and authenticator tracks add users to the
#   journey's groups (GroupMember.ReadWrite.All).
# --with-mail: MFA_NOTICE_MAILBOX is set and MFA_NOTICE_DAYS > 0 (the job mails announcements: Mail.Send).
# --with-setup: this identity runs `mfa-rollout setup-passkeys --apply`, which writes the Authentication
#   methods policy (Policy.ReadWrite.AuthenticationMethod); run again without it (and --prune) afterwards.
# issueTap: an identity that only runs `mfa-rollout issue-tap` (a helpdesk's): exactly what that command needs.
#   The job's own identity needs nothing more for it (UserAuthenticationMethod.ReadWrite.All covers the pass).
# --list prints the permissions, one a line, and calls nothing.
#
# Needs the Azure CLI, signed in (az login) as someone who may grant Microsoft Graph application
# permissions: a Privileged Role Administrator (or Global Administrator). Application Administrators
# cannot grant Graph application permissions.
# App role ids are resolved from the Microsoft Graph service principal by permission name at run time.
set -euo pipefail

# The permission lists. They must equal permissionsFor() in shared/adapters/graph/graphPermissions.ts:
# test/infra/configConsistency.test.ts runs `--list` for both strategies, with and without mail, and compares.
COMMON_PERMISSIONS=(
  AuditLog.Read.All                      # registration verification (userRegistrationDetails) and the sign-in log (beta auditLogs/signIns)
  GroupMember.Read.All                   # pilot, ring and exclusion group members
  Organization.Read.All                  # the tenant sync gate (GET /organization)
  Policy.Read.All                        # Conditional Access preflight, security defaults, the methods policy
  RoleManagement.Read.Directory          # the break-glass check: holders of Global Administrator and the other privileged roles
  User.Read.All                          # the roster refresh and the synced mobile number
  UserAuthenticationMethod.ReadWrite.All # reading methods and pre-registering the mobile phone method
)
PER_USER_MFA_PERMISSIONS=(
  Policy.ReadWrite.AuthenticationMethod  # per-user MFA state (Graph beta)
)
CONDITIONAL_ACCESS_GROUP_PERMISSIONS=(
  GroupMember.ReadWrite.All              # adding each wave to the group the MFA policy targets
)
REGISTRATION_TRACK_PERMISSIONS=(
  GroupMember.ReadWrite.All              # the campaign, phishing-resistant and phone-retired groups
)
MAIL_PERMISSIONS=(
  Mail.Send                              # announcements from MFA_NOTICE_MAILBOX
)
SETUP_PERMISSIONS=(
  Policy.ReadWrite.AuthenticationMethod  # setup-passkeys --apply: the registration campaign and method targets
)
# They must equal permissionsForIssueTap() (the same test compares `--list issueTap`).
ISSUE_TAP_PERMISSIONS=(
  GroupMember.Read.All                   # the user's groups among the TAP policy's targets (checkMemberGroups, with User.Read.All)
  Policy.Read.All                        # the Temporary Access Pass policy (state, targets, lifetimes)
  User.Read.All                          # the named users, as Graph has them now
  UserAuthMethod-TAP.ReadWrite.All       # creating the pass
)

GRAPH_APP_ID=00000003-0000-0000-c000-000000000000 # Microsoft Graph's application id, the same in every tenant

usage() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0" >&2
  exit 2
}

fail() {
  echo "error: $*" >&2
  exit 1
}

strategy=''
track=passkey
with_mail=false
with_setup=false
list_only=false
principal_id=''
resource_group=''
identity_name=''
prune=false
dry_run=false
graph_url='https://graph.microsoft.com'

while (($# > 0)); do
  case "$1" in
    perUserMfa | conditionalAccessGroup | issueTap)
      [[ -z "$strategy" ]] || fail "one strategy only"
      strategy="$1"
      ;;
    --track) track="${2:?--track needs a value}"; shift ;;
    --with-mail) with_mail=true ;;
    --with-setup) with_setup=true ;;
    --list) list_only=true ;;
    --principal-id) principal_id="${2:?--principal-id needs a value}"; shift ;;
    --resource-group) resource_group="${2:?--resource-group needs a value}"; shift ;;
    --identity-name) identity_name="${2:?--identity-name needs a value}"; shift ;;
    --prune) prune=true ;;
    --dry-run) dry_run=true ;;
    --graph-url) graph_url="${2:?--graph-url needs a value}"; shift ;;
    -h | --help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
  shift
done

[[ -n "$strategy" ]] || { echo "a strategy is required: perUserMfa or conditionalAccessGroup (or issueTap)" >&2; usage; }
[[ "$track" =~ ^(passkey|authenticator|phone)$ ]] || { echo "--track is passkey, authenticator or phone (MFA_TARGET_METHOD)" >&2; usage; }
[[ "$strategy" != issueTap || "$with_mail" == false ]] || fail "--with-mail is for the job's identity, not issueTap"
[[ "$strategy" != issueTap || "$with_setup" == false ]] || fail "--with-setup is for the identity that runs setup-passkeys, not issueTap"

if [[ "$strategy" == issueTap ]]; then
  needed=("${ISSUE_TAP_PERMISSIONS[@]}")
else
  needed=("${COMMON_PERMISSIONS[@]}")
  if [[ "$strategy" == perUserMfa ]]; then
    needed+=("${PER_USER_MFA_PERMISSIONS[@]}")
  else
    needed+=("${CONDITIONAL_ACCESS_GROUP_PERMISSIONS[@]}")
  fi
fi
if [[ "$strategy" != issueTap && "$track" != phone ]]; then needed+=("${REGISTRATION_TRACK_PERMISSIONS[@]}"); fi
if [[ "$with_mail" == true ]]; then needed+=("${MAIL_PERMISSIONS[@]}"); fi
if [[ "$with_setup" == true ]]; then needed+=("${SETUP_PERMISSIONS[@]}"); fi
mapfile -t needed < <(printf '%s\n' "${needed[@]}" | LC_ALL=C sort -u)

if [[ "$list_only" == true ]]; then
  printf '%s\n' "${needed[@]}"
  exit 0
fi

command -v az >/dev/null 2>&1 || fail "the Azure CLI (az) is not installed"
graph_url="${graph_url%/}"

if [[ -z "$principal_id" ]]; then
  [[ -n "$resource_group" && -n "$identity_name" ]] || fail "give --principal-id, or --resource-group with --identity-name"
  principal_id="$(az identity show --resource-group "$resource_group" --name "$identity_name" --query principalId --output tsv)"
  [[ -n "$principal_id" ]] || fail "managed identity $identity_name not found in $resource_group"
fi

# The Microsoft Graph service principal of this tenant, and its application roles by permission name.
graph_sp_id="$(az rest --method get \
  --url "$graph_url/v1.0/servicePrincipals(appId='$GRAPH_APP_ID')?\$select=id" \
  --query id --output tsv)"
[[ -n "$graph_sp_id" ]] || fail "the Microsoft Graph service principal was not found in this tenant"

declare -A role_id_by_name=()
while IFS=$'\t' read -r value id; do
  [[ -n "$value" ]] && role_id_by_name["$value"]="$id"
done < <(az rest --method get \
  --url "$graph_url/v1.0/servicePrincipals/$graph_sp_id?\$select=appRoles" \
  --query "appRoles[?contains(allowedMemberTypes, 'Application')].[value, id]" --output tsv)

declare -A role_name_by_id=()
for name in "${!role_id_by_name[@]}"; do role_name_by_id["${role_id_by_name[$name]}"]="$name"; done

for name in "${needed[@]}"; do
  [[ -n "${role_id_by_name[$name]:-}" ]] || fail "Microsoft Graph has no application permission named $name"
done

# What the identity already holds on Graph: app role id -> assignment id.
declare -A assignment_by_role_id=()
while IFS=$'\t' read -r role_id assignment_id; do
  [[ -n "$role_id" ]] && assignment_by_role_id["$role_id"]="$assignment_id"
done < <(az rest --method get \
  --url "$graph_url/v1.0/servicePrincipals/$principal_id/appRoleAssignments" \
  --query "value[?resourceId=='$graph_sp_id'].[appRoleId, id]" --output tsv)

report() { # status, permission, note
  printf '  %-17s%s%s\n' "$1" "$2" "${3:+ ($3)}"
}

would=''
[[ "$dry_run" == true ]] && would='would be '
echo "$([[ "$dry_run" == true ]] && echo '(dry run, nothing is changed) ')Graph application permissions for strategy $strategy, track $track$([[ "$with_mail" == true ]] && echo ' with mail')$([[ "$with_setup" == true ]] && echo ' with setup'), service principal $principal_id:"

granted=0
for name in "${needed[@]}"; do
  role_id="${role_id_by_name[$name]}"
  if [[ -n "${assignment_by_role_id[$role_id]:-}" ]]; then
    report 'already granted' "$name"
    continue
  fi
  if [[ "$dry_run" == false ]]; then
    az rest --method post \
      --url "$graph_url/v1.0/servicePrincipals/$principal_id/appRoleAssignments" \
      --headers 'Content-Type=application/json' \
      --body "{\"principalId\":\"$principal_id\",\"resourceId\":\"$graph_sp_id\",\"appRoleId\":\"$role_id\"}" \
      --output none
  fi
  report "$([[ "$dry_run" == true ]] && echo 'would grant' || echo 'granted')" "$name"
  granted=$((granted + 1))
done

declare -A needed_role_ids=()
for name in "${needed[@]}"; do needed_role_ids["${role_id_by_name[$name]}"]=1; done

extra=0
for role_id in "${!assignment_by_role_id[@]}"; do
  [[ -n "${needed_role_ids[$role_id]:-}" ]] && continue
  name="${role_name_by_id[$role_id]:-$role_id}"
  extra=$((extra + 1))
  if [[ "$prune" == true ]]; then
    if [[ "$dry_run" == false ]]; then
      az rest --method delete \
        --url "$graph_url/v1.0/servicePrincipals/$principal_id/appRoleAssignments/${assignment_by_role_id[$role_id]}" \
        --output none
    fi
    report "$([[ "$dry_run" == true ]] && echo 'would remove' || echo 'removed')" "$name" "not needed by $strategy on track $track"
  else
    report 'not needed' "$name" 'kept; run with --prune to remove it'
  fi
done

echo "${granted} ${would}granted, $((${#needed[@]} - granted)) already in place, ${extra} not needed$([[ "$prune" == true ]] && echo " (${would}removed)")."
