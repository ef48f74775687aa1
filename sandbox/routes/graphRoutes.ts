import type { GraphRoute } from '../http/graphRoute.js';
import { authenticationMethodRoutes } from './authenticationMethodRoutes.js';
import { conditionalAccessRoutes } from './conditionalAccessRoutes.js';
import { groupRoutes } from './groupRoutes.js';
import { groupWriteRoutes } from './groupWriteRoutes.js';
import { organizationRoutes } from './organizationRoutes.js';
import { phoneMethodRoutes } from './phoneMethodRoutes.js';
import { registrationReportRoutes } from './registrationReportRoutes.js';
import { requirementsRoutes } from './requirementsRoutes.js';
import { sendMailRoutes } from './sendMailRoutes.js';
import { signInLogRoutes } from './signInLogRoutes.js';
import { userRoutes } from './userRoutes.js';

/** Every Graph endpoint the sandbox serves. New families ($batch, group writes, CA policies…) are added here. */
export const graphRoutes: readonly GraphRoute[] = [
  ...organizationRoutes,
  ...userRoutes,
  ...groupRoutes,
  ...phoneMethodRoutes,
  ...authenticationMethodRoutes,
  ...requirementsRoutes,
  ...groupWriteRoutes,
  ...conditionalAccessRoutes,
  ...registrationReportRoutes,
  ...signInLogRoutes,
  ...sendMailRoutes,
];
