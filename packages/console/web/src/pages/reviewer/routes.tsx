/** The pages of the access committee (`/comite`) and of the output checker (`/controle`). */
import type { AreaRoute } from '../area-route';
import { AirlockQueuePage } from './AirlockQueuePage';
import { ApplicationPage } from './ApplicationPage';
import { ApplicationQueuePage } from './ApplicationQueuePage';
import { ReleaseRequestPage } from './ReleaseRequestPage';

export const reviewerRoutes: readonly AreaRoute[] = [
  { path: '/comite', element: <ApplicationQueuePage /> },
  { path: '/comite/demandes/:applicationId', element: <ApplicationPage /> },
  { path: '/controle', element: <AirlockQueuePage /> },
  { path: '/controle/demandes/:requestId', element: <ReleaseRequestPage /> },
];
