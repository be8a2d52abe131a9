/** @hygie/cli */
export {};
