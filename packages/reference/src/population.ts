/**
 * France's age and sex structure (INSEE estimates on 1 January 2020, rounded; see
 * data/population/README.md): the reference for the synthetic population and for direct
 * standardisation examples.
 */
import { once, readSemicolonCsv } from './data-files.js';

/** One five-year age band of the pyramid. */
export interface PyramidBand {
  ageFrom: number;
  /** Inclusive upper bound. */
  ageTo: number;
  males: number;
  females: number;
}

/** The age pyramid, youngest band first. */
export const agePyramid = once((): readonly PyramidBand[] =>
  readSemicolonCsv('population', 'age-pyramid-2020.csv').map((r) => ({
    ageFrom: Number(r.age_from),
    ageTo: Number(r.age_to),
    males: Number(r.males),
    females: Number(r.females),
  })),
);
