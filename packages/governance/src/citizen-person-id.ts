/**
 * The platform person id of a citizen who identifies with a NIR: the same two keyed levels as
 * ingestion (`@hygie/core/pseudonym.ts`: source pseudonym with the source NIR key, then the
 * platform identity at the key ring's current version). The NIR is used in memory for this
 * computation only; it is never stored, logged or put in an error.
 */
import { HygieError, NIR_KIND, normaliseNir, platformIdentity, sourcePseudonym } from '@hygie/core';
import type { KeyRing } from '@hygie/keys';

/** The warehouse `person_id` of a NIR (with or without its key, separators allowed). */
export function citizenPersonId(keys: KeyRing, nir: string): bigint {
  const body = typeof nir === 'string' ? normaliseNir(nir) : null;
  if (body === null) {
    throw new HygieError('HYG_INVALID_NIR', 'this is not a valid NIR', { argument: 'nir' });
  }
  return platformIdentity(keys.platformKeys(), NIR_KIND, sourcePseudonym(keys.sourceNirKey(), body))
    .personId;
}
