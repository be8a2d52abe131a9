/**
 * The FHIR R4 connector: Bulk Data NDJSON and Bundles (staging in `fhir-stage.ts`), persons
 * pseudonymised in the engine, resources published by `fhir-publish.ts`.
 */
import type { Connector } from '../connector.js';
import { IDENT_TABLE, buildPersonMap } from '../person-map.js';
import { QUARANTINE_WORK_TABLE } from '../snds/snds-stage.js';
import { fhirFileFormat } from './fhir-files.js';
import { publishFhir, type FhirPublishOptions } from './fhir-publish.js';
import { fhirQuarantineSql, fhirReadCounts } from './fhir-quarantine.js';
import { stageFhir } from './fhir-stage.js';

/** A fresh FHIR connector; `options` tune its publish step (tests). */
export function createFhirConnector(options: FhirPublishOptions = {}): Connector {
  let namespace = 'fhir';
  return {
    format: 'fhir',
    accepts: (path) => fhirFileFormat(path) !== undefined,
    async stage(s, files, keys, ns, onFile) {
      namespace = ns;
      const report = await stageFhir(
        s,
        files.map((f) => f.path),
        { onProgress: (p) => onFile(p.filesDone, p.filesTotal) },
      );
      await s.execute(
        `INSERT INTO ${IDENT_TABLE}
         SELECT DISTINCT CASE WHEN ident_kind = 'local' THEN fhir_id ELSE ident_value END,
           CASE WHEN ident_kind = 'local' THEN $1 END
         FROM stg_fhir_patient WHERE _rule IS NULL`,
        [ns],
      );
      const persons = await buildPersonMap(s, keys, ns);
      return { files: fhirReadCounts(report), persons };
    },
    stagedTables: () => [],
    async locateQuarantined(s) {
      await s.execute(
        `INSERT INTO ${QUARANTINE_WORK_TABLE} SELECT path, source_table, line, field, rule FROM (${fhirQuarantineSql()})`,
      );
    },
    publish: (s, _keys, batchId, batch, timings) =>
      publishFhir(s, batchId, batch, namespace, timings, options),
  };
}
