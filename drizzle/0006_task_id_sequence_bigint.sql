-- Custom migration (drizzle-kit does not model the sequence behind a serial): tasks.id became bigint in
-- 0005, but the serial's sequence was created `AS integer` and would still stop at 2^31 - 1. Widen it,
-- and stop it at 2^53 - 1 so that every id stays exact as a JSON number. No table rewrite; the
-- sequence's current value is kept.
ALTER SEQUENCE "tasks_id_seq" AS bigint MAXVALUE 9007199254740991;
