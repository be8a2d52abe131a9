/** @hygie/reference */
export {};
