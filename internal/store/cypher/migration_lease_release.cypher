// Gives up the lease on applying schema migrations, if $holder still holds it.
MATCH (l:SchemaMigration:MigrationLease {version: 0})
WHERE l.holder = $holder
SET l.holder = null, l.expires = null
