-- Trigram similarity for typo-tolerant search. Shipped with PostgreSQL's contrib and with PGlite.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
