export * from '@hygie/analytics/population-sql';
