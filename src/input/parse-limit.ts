/** Lines longer than this are not parsed (they are still passed through whole). */
export const PARSE_LIMIT = 16 * 1024 * 1024;

/** A torn record is rejoined from at most this many physical lines... */
export const TORN_MAX_PIECES = 64;
/** ...and this many characters; beyond either bound its pieces stay unparsed lines. */
export const TORN_MAX_CHARS = 1 << 20;
