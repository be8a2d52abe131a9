/** @hygie/synth */
export {};
