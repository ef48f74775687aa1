import type { TenantOverviewLine } from '../core/tenantsOverview.js';

/** How the report across tenants words a tenant's plan status (`plan` alone would read "plan plan"). */
export function planStatusWords(status: NonNullable<TenantOverviewLine['rollout']>['planStatus']): string {
  switch (status) {
    case 'plan':
      return 'next wave planned';
    case 'halted':
      return 'halted';
    case 'nothingToDo':
      return 'nothing left to do';
  }
}
