/** Lines longer than this are not parsed (they are still passed through whole). */
export const PARSE_LIMIT = 16 * 1024 * 1024;
