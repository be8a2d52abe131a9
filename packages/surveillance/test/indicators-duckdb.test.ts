/** The indicator suites on DuckDB in memory. */
import { openInMemoryWarehouse } from '@hygie/warehouse';
import { excessMortalitySuite } from './indicators-suite-excess.js';
import { indicatorSeriesSuite } from './indicators-suite-series.js';

indicatorSeriesSuite('duckdb', () => openInMemoryWarehouse());
excessMortalitySuite('duckdb', () => openInMemoryWarehouse());
