/**
 * Concept sets: the codes that define a condition, a drug class, an act — written with the
 * source vocabularies people know (CIM-10 `E11`, ATC `A10`, CCAM `DZQM006`), with or without
 * their descendants in the hierarchy (`concept_ancestor`), minus exclusions. OHDSI's concept set
 * expression, with French vocabularies.
 */
import { z } from 'zod';

/** Vocabularies a concept set may name codes from. */
export const QUERY_VOCABULARIES = ['CIM10', 'ATC', 'CCAM', 'CIP13', 'LOINC', 'Visit'] as const;

/** A vocabulary of a concept set item. */
export type QueryVocabulary = (typeof QUERY_VOCABULARIES)[number];

/** An identifier inside a query: lower-case letters, digits and `_`, starting with a letter. */
export const queryNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be a lower-case name (letters, digits, _)');

/** One code of a concept set. */
export const queryConceptItemSchema = z.strictObject({
  vocabulary: z.enum(QUERY_VOCABULARIES),
  /** The code as the vocabulary writes it (`E11`, `E11.9`, `A10BA02`, `DZQM006`). */
  code: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .regex(/^[A-Za-z0-9.+_-]+$/, 'must be a code (letters, digits, . + _ -)'),
  /** Whether the code's descendants in the hierarchy are included (default true). */
  descendants: z.boolean().default(true),
});

/** One code of a concept set. */
export type QueryConceptItem = z.output<typeof queryConceptItemSchema>;

/** A named concept set: included codes minus excluded codes. */
export const queryConceptSetSchema = z.strictObject({
  name: queryNameSchema,
  include: z.array(queryConceptItemSchema).min(1).max(1000),
  exclude: z.array(queryConceptItemSchema).max(1000).default([]),
});

/** A named concept set. */
export type QueryConceptSet = z.output<typeof queryConceptSetSchema>;
