/** FHIR R4 connector (staging). */
export {};
