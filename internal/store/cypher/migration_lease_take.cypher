// Takes, or renews, the lease on applying schema migrations for $holder when nobody holds it or
// the holder's lease has lapsed, and returns who holds it now and until when. Setting `lock` first
// write-locks the lease node, so that two processes never both read it as free.
MERGE (l:SchemaMigration:MigrationLease {version: 0})
SET l.lock = true
WITH l
WITH l, l.holder IS NULL OR l.expires < datetime() OR l.holder = $holder AS free
SET l.holder = CASE WHEN free THEN $holder ELSE l.holder END,
    l.expires = CASE WHEN free THEN datetime() + duration({milliseconds: $leaseMillis}) ELSE l.expires END
REMOVE l.lock
RETURN l.holder AS holder, toString(l.expires) AS expires
