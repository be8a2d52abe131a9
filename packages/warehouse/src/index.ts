/** @hygie/warehouse */
export {};
