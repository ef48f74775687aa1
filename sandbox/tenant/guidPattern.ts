/** An object id as Graph writes it: a GUID in 8-4-4-4-12 hex form (either case). */
export const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
