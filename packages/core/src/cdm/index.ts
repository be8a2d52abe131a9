/** OMOP CDM v5.4 subset: table definitions (owned by the CDM module). */
export {};
