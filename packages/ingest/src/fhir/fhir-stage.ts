/**
 * `stageFhir`: reads FHIR R4 files (Bulk Data NDJSON, Bundles, single resources) and appends
 * their staging rows to the FHIR staging tables, quarantining what cannot be staged — one bad
 * resource never fails its file, and one bad file never fails the run (DESIGN.md §4.7).
 *
 * Work runs strictly one statement at a time on `session`: the staging tables are TEMP tables of
 * its connection.
 */
import { HygieError } from '@hygie/core';
import type { WarehouseSession } from '@hygie/warehouse';
import { readJsonFile, type BundleEntry } from './fhir-bundle-reader.js';
import { listFhirFiles, type FhirFile } from './fhir-files.js';
import { asObject, has, resourceTypeOf, stringAt } from './fhir-json.js';
import type { MappingContext } from './fhir-mapping.js';
import { resolveMedicationReferences } from './fhir-medication-resolution.js';
import { readNdjsonLines, type NdjsonLine } from './fhir-ndjson-reader.js';
import { isSupportedResourceType, mapResource } from './fhir-resource-mapper.js';
import { DEFAULT_BATCH_ROWS, FhirRowSink } from './fhir-row-sink.js';
import {
  UNKNOWN_RESOURCE_TYPE,
  addCounts,
  countsOf,
  totalOf,
  zeroCounts,
  type FhirCounts,
  type FhirFileReport,
  type FhirStageReport,
  type FhirTableRows,
} from './fhir-stage-report.js';
import {
  FHIR_STAGING_TABLES,
  createFhirStagingTables,
  type FhirStagingTable,
} from './fhir-staging-tables.js';

/** Progress of a run, reported every `progressEvery` resources and at the end of each file. */
export interface FhirStageProgress {
  /** Label of the file being read. */
  readonly file: string;
  /** Files finished so far, and in all. */
  readonly filesDone: number;
  readonly filesTotal: number;
  /** Resources read so far, over all files. */
  readonly resources: number;
}

/** Options of `stageFhir`. */
export interface FhirStageOptions {
  readonly onProgress?: (progress: FhirStageProgress) => void;
  /** Resources between two progress reports. Default 10,000. */
  readonly progressEvery?: number;
  /**
   * The `_file` value of a file's rows. Default: the path as given or found. Labels must be
   * unique. Beware that some tools put names in file names (Synthea writes
   * `Given123_Family456_<uuid>.json`): a caller that keeps quarantine rows in the warehouse
   * should label files by something else (an index into its batch manifest).
   */
  readonly fileLabel?: (path: string, index: number) => string;
  /** Rows per appender call and table. Default 50,000. */
  readonly batchRows?: number;
}

/** Everything the staging of one file needs. */
class FileStager {
  readonly resources: Record<string, FhirCounts> = {};

  constructor(
    private readonly sink: FhirRowSink,
    readonly file: FhirFile,
    readonly label: string,
  ) {}

  /** Quarantines something that is not a usable resource. */
  reject(line: number, type: string, field: string, rule: string, unsupported = false): void {
    const counts = countsOf(this.resources, type);
    counts.read++;
    counts.quarantined++;
    if (unsupported) counts.unsupported++;
    const staged = type === UNKNOWN_RESOURCE_TYPE ? null : type;
    this.sink.add('stg_fhir_rejected', [this.label, line, field, rule], { resource_type: staged });
  }

  /** Stages one parsed value found at `line`. */
  stage(value: unknown, line: number, id: string | undefined, context: MappingContext): void {
    const resource = asObject(value);
    if (resource === undefined) {
      this.reject(line, UNKNOWN_RESOURCE_TYPE, 'json', 'not a JSON object');
      return;
    }
    const type = resourceTypeOf(resource);
    if (type === undefined) {
      const rule = has(resource, 'resourceType') ? 'invalid resourceType' : 'missing resourceType';
      this.reject(line, UNKNOWN_RESOURCE_TYPE, 'resourceType', rule);
      return;
    }
    if (!isSupportedResourceType(type)) {
      this.reject(line, type, 'resourceType', 'unsupported resource type', true);
      return;
    }
    const m = mapResource(type, resource, id ?? stringAt(resource, 'id'), context);
    const counts = countsOf(this.resources, type);
    counts.read++;
    if (m.problem === null) counts.staged++;
    else counts.quarantined++;
    this.sink.addAll(m.rows, [this.label, line, m.problem?.field ?? null, m.problem?.rule ?? null]);
  }

  report(): FhirFileReport {
    return {
      path: this.file.path,
      label: this.label,
      format: this.file.format,
      resources: this.resources,
      total: totalOf(this.resources),
    };
  }
}

const NO_CONTEXT: MappingContext = {};

/** Runs the stage of a whole run; one instance per call of `stageFhir`. */
class FhirStageRun {
  private resourcesRead = 0;
  private nextProgress: number;
  private filesDone = 0;

  constructor(
    private readonly sink: FhirRowSink,
    private readonly files: readonly FhirFile[],
    private readonly options: FhirStageOptions,
  ) {
    this.nextProgress = this.progressEvery;
  }

  private get progressEvery(): number {
    return this.options.progressEvery ?? 10_000;
  }

  private progress(file: string, force: boolean): void {
    const onProgress = this.options.onProgress;
    if (onProgress === undefined) return;
    if (!force && this.resourcesRead < this.nextProgress) return;
    while (this.nextProgress <= this.resourcesRead) this.nextProgress += this.progressEvery;
    onProgress({
      file,
      filesDone: this.filesDone,
      filesTotal: this.files.length,
      resources: this.resourcesRead,
    });
  }

  /** After a batch of resources: appends full batches, reports progress. */
  private async after(stager: FileStager, resources: number): Promise<void> {
    this.resourcesRead += resources;
    if (this.sink.hasFullBatch) await this.sink.flushFull();
    this.progress(stager.label, false);
  }

  async stageNdjson(stager: FileStager): Promise<void> {
    const lines = readNdjsonLines(stager.file.path, { gzip: stager.file.gzip });
    let lastLine = 0;
    try {
      for (;;) {
        let next: IteratorResult<NdjsonLine[]>;
        try {
          next = await lines.next();
        } catch {
          // A truncated gzip stream or a read error: keep what was read, quarantine the rest as
          // one. Only reading is caught here: an engine failure must fail the run.
          stager.reject(lastLine + 1, UNKNOWN_RESOURCE_TYPE, 'file', 'unreadable file');
          await this.after(stager, 1);
          return;
        }
        if (next.done === true) return;
        for (const { line, text } of next.value) {
          lastLine = line;
          this.stageLine(stager, line, text);
        }
        await this.after(stager, next.value.length);
      }
    } finally {
      await lines.return(undefined);
    }
  }

  private stageLine(stager: FileStager, line: number, text: string | null): void {
    if (text === null) {
      stager.reject(line, UNKNOWN_RESOURCE_TYPE, 'json', 'line too long');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      stager.reject(line, UNKNOWN_RESOURCE_TYPE, 'json', 'invalid JSON');
      return;
    }
    stager.stage(value, line, undefined, NO_CONTEXT);
  }

  async stageJson(stager: FileStager): Promise<void> {
    let content;
    try {
      content = await readJsonFile(stager.file.path, stager.file.gzip);
    } catch {
      stager.reject(0, UNKNOWN_RESOURCE_TYPE, 'file', 'unreadable file');
      await this.after(stager, 1);
      return;
    }
    switch (content.kind) {
      case 'invalid':
        stager.reject(0, content.type ?? UNKNOWN_RESOURCE_TYPE, content.field, content.rule);
        await this.after(stager, 1);
        return;
      case 'resource':
        stager.stage(content.resource, 1, undefined, NO_CONTEXT);
        await this.after(stager, 1);
        return;
      case 'bundle':
        await this.stageEntries(stager, content.entries, content.context);
    }
  }

  private async stageEntries(
    stager: FileStager,
    entries: readonly BundleEntry[],
    context: MappingContext,
  ): Promise<void> {
    const step = 1000;
    for (let start = 0; start < entries.length; start += step) {
      const slice = entries.slice(start, start + step);
      for (const entry of slice) {
        if (entry.resource === undefined || entry.resource === null) {
          stager.reject(entry.index, UNKNOWN_RESOURCE_TYPE, 'entry.resource', 'missing resource');
        } else stager.stage(entry.resource, entry.index, entry.id, context);
      }
      await this.after(stager, slice.length);
    }
  }

  async stageFile(stager: FileStager): Promise<void> {
    if (stager.file.format === 'ndjson') await this.stageNdjson(stager);
    else await this.stageJson(stager);
    this.filesDone++;
    this.progress(stager.label, true);
  }
}

async function tableRows(
  session: WarehouseSession,
): Promise<Record<FhirStagingTable, FhirTableRows>> {
  const rows = {} as Record<FhirStagingTable, FhirTableRows>;
  for (const table of FHIR_STAGING_TABLES) {
    const [r] = await session.query<{ good: number; quarantined: number }>(
      `SELECT count(*) FILTER (WHERE _rule IS NULL)::INTEGER AS good,
              count(*) FILTER (WHERE _rule IS NOT NULL)::INTEGER AS quarantined
       FROM ${table}`,
    );
    rows[table] = { good: r?.good ?? 0, quarantined: r?.quarantined ?? 0 };
  }
  return rows;
}

/**
 * Creates the FHIR staging tables on `session` (replacing any previous content) and stages every
 * FHIR file of `paths` (files or directories). Returns per-file and per-type counts, with
 * read = staged + quarantined for every resource type (see `FhirCounts`).
 *
 * Throws HYG_NOT_FOUND / HYG_INVALID_ARGUMENT for a path that does not exist or is not a FHIR
 * file, and the engine's error if the engine fails; never because of the content of a file.
 */
export async function stageFhir(
  session: WarehouseSession,
  paths: readonly string[],
  options: FhirStageOptions = {},
): Promise<FhirStageReport> {
  const t0 = performance.now();
  const files = await listFhirFiles(paths);
  const labelOf = options.fileLabel ?? ((path: string) => path);
  const labels = files.map((f, i) => labelOf(f.path, i));
  if (new Set(labels).size !== labels.length) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'FHIR file labels must be unique');
  }

  await createFhirStagingTables(session);
  const sink = new FhirRowSink(session, options.batchRows ?? DEFAULT_BATCH_ROWS);
  const run = new FhirStageRun(sink, files, options);
  const stagers: FileStager[] = [];
  for (const [i, file] of files.entries()) {
    const stager = new FileStager(sink, file, labels[i] as string);
    stagers.push(stager);
    await run.stageFile(stager);
  }
  await sink.flushAll();

  // References across files are resolved once every Medication is staged.
  const resolved = await resolveMedicationReferences(session);
  const byLabel = new Map(stagers.map((s) => [s.label, s]));
  let medicationReferencesResolved = 0;
  for (const r of resolved) {
    const counts = byLabel.get(r.file)?.resources[r.resourceType];
    if (counts === undefined) continue;
    counts.staged += r.count;
    counts.quarantined -= r.count;
    medicationReferencesResolved += r.count;
  }

  const fileReports = stagers.map((s) => s.report());
  const resources: Record<string, FhirCounts> = {};
  for (const f of fileReports) {
    for (const [type, counts] of Object.entries(f.resources))
      addCounts(countsOf(resources, type), counts);
  }
  const total = zeroCounts();
  for (const f of fileReports) addCounts(total, f.total);
  return {
    files: fileReports,
    resources,
    total,
    rows: await tableRows(session),
    medicationReferencesResolved,
    seconds: (performance.now() - t0) / 1000,
  };
}
