/** Outbreak detection algorithms (pure: series in, alarms with their evidence out). */
export {};
