/** Vocabularies shipped with Hygie (concept files, drug catalogue). */
export {};
