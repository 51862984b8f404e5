/**
 * PostgreSQL extensions the migrations create, for every PGlite we open (the served database and
 * the migration engine's shadow). A real PostgreSQL ships them in its contrib package; PGlite
 * bundles each as a module that must be loaded when the database is opened, or CREATE EXTENSION
 * fails ("extension is not available"). pg_trgm: the devices list's search (trigram indexes).
 */
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

export const PGLITE_EXTENSIONS = { pg_trgm };
