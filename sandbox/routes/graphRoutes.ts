import type { GraphRoute } from '../http/graphRoute.js';
import { authenticationMethodRoutes } from './authenticationMethodRoutes.js';
import { authenticationStrengthRoutes } from './authenticationStrengthRoutes.js';
import { conditionalAccessRoutes } from './conditionalAccessRoutes.js';
import { fido2MethodRoutes } from './fido2MethodRoutes.js';
import { groupRoutes } from './groupRoutes.js';
import { groupWriteRoutes } from './groupWriteRoutes.js';
import { memberGroupRoutes } from './memberGroupRoutes.js';
import { methodsPolicyRoutes } from './methodsPolicyRoutes.js';
import { organizationRoutes } from './organizationRoutes.js';
import { phoneMethodRoutes } from './phoneMethodRoutes.js';
import { registrationReportRoutes } from './registrationReportRoutes.js';
import { requirementsRoutes } from './requirementsRoutes.js';
import { roleAssignmentRoutes } from './roleAssignmentRoutes.js';
import { securityDefaultsRoutes } from './securityDefaultsRoutes.js';
import { sendMailRoutes } from './sendMailRoutes.js';
import { signInLogRoutes } from './signInLogRoutes.js';
import { temporaryAccessPassRoutes } from './temporaryAccessPassRoutes.js';
import { userRoutes } from './userRoutes.js';

/** Every Graph endpoint the sandbox serves. New families ($batch, group writes, CA policies…) are added here. */
export const graphRoutes: readonly GraphRoute[] = [
  ...organizationRoutes,
  ...userRoutes,
  ...groupRoutes,
  ...phoneMethodRoutes,
  ...authenticationMethodRoutes,
  ...fido2MethodRoutes,
  ...temporaryAccessPassRoutes,
  ...requirementsRoutes,
  ...groupWriteRoutes,
  ...memberGroupRoutes,
  ...conditionalAccessRoutes,
  ...authenticationStrengthRoutes,
  ...registrationReportRoutes,
  ...signInLogRoutes,
  ...sendMailRoutes,
  ...roleAssignmentRoutes,
  ...methodsPolicyRoutes,
  ...securityDefaultsRoutes,
];
