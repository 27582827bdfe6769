// Records that a schema migration has been applied.
MERGE (m:SchemaMigration {version: $version})
SET m.description = $description, m.appliedAt = datetime()
