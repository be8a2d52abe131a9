/** A page of an area of the console, mounted under the common layout. */
import type { ReactNode } from 'react';

export interface AreaRoute {
  /** Absolute path (`/veille`, `/recherche/projets/:projectId`). */
  readonly path: string;
  readonly element: ReactNode;
}
