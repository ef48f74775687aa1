#!/usr/bin/env bash
# Many tenants (MFA_MULTI_TENANT=true): makes the Function App's user-assigned managed identity a federated
# credential of the multi-tenant app registration (MFA_CLIENT_ID), so the job gets a token for every customer
# tenant that consented to the app with no secret anywhere (MFA_AUTH_MODE=federatedManagedIdentity,
# docs/graph-behaviour.md#multi-tenant-apps). Idempotent: a credential with the same issuer and subject is kept.
#
#   infra/federate-app.sh --app-id <multi-tenant app client id>
#       (--principal-id <identity object id> | --resource-group <rg> --identity-name <name>)
#       [--name <credential name>] [--dry-run]
#
# The credential: issuer https://login.microsoftonline.com/<the app's tenant>/v2.0, subject the identity's object
# (principal) id, audience api://AzureADTokenExchange. The app must live in the identity's tenant and be
# multi-tenant (signInAudience AzureADMultipleOrgs); only user-assigned identities can be a federated credential.
# Needs the Azure CLI signed in as an owner of the app, or an Application Administrator / Cloud Application
# Administrator. (The Microsoft Graph Bicep extension can declare the same credential,
# Microsoft.Graph/applications/federatedIdentityCredentials; this script keeps main.bicep free of Graph resources,
# which need the deploying user's Graph permissions.)
#
# Then, in each customer tenant, a Global Administrator (or Privileged Role Administrator) opens
#   https://login.microsoftonline.com/<customer tenant>/adminconsent?client_id=<app id>
# which creates the app's service principal there and grants its configured Graph application permissions
# (the app's API permissions must list what infra/grant-graph-permissions.sh --list prints).
set -euo pipefail

app_id='' principal_id='' resource_group='' identity_name='' name='mfa-rollout-function-identity' dry_run=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --app-id) app_id="$2"; shift 2 ;;
    --principal-id) principal_id="$2"; shift 2 ;;
    --resource-group) resource_group="$2"; shift 2 ;;
    --identity-name) identity_name="$2"; shift 2 ;;
    --name) name="$2"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    *) echo "error: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
[[ -n "$app_id" ]] || { echo "error: --app-id <multi-tenant app client id> is required" >&2; exit 2; }
if [[ -z "$principal_id" ]]; then
  [[ -n "$resource_group" && -n "$identity_name" ]] || { echo "error: give --principal-id, or --resource-group and --identity-name" >&2; exit 2; }
  principal_id="$(az identity show --resource-group "$resource_group" --name "$identity_name" --query principalId --output tsv)"
fi
tenant_id="$(az account show --query tenantId --output tsv)"
issuer="https://login.microsoftonline.com/${tenant_id}/v2.0"

existing="$(az ad app federated-credential list --id "$app_id" --query "[?issuer=='${issuer}' && subject=='${principal_id}'].name" --output tsv)"
if [[ -n "$existing" ]]; then
  echo "already federated: credential '${existing}' of app ${app_id} trusts identity ${principal_id} (${issuer})"
  exit 0
fi
parameters="$(printf '{"name":"%s","issuer":"%s","subject":"%s","audiences":["api://AzureADTokenExchange"],"description":"mfa-rollout: the Function App identity as this app'"'"'s credential (no secret)"}' "$name" "$issuer" "$principal_id")"
if [[ "$dry_run" == true ]]; then
  echo "would run: az ad app federated-credential create --id ${app_id} --parameters '${parameters}'"
  exit 0
fi
az ad app federated-credential create --id "$app_id" --parameters "$parameters" --output none
echo "federated: app ${app_id} now trusts identity ${principal_id} (${issuer}); set MFA_CLIENT_ID=${app_id} (Bicep: multiTenantAppClientId)"
