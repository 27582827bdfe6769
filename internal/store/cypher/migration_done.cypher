// Whether a schema migration has been applied.
OPTIONAL MATCH (m:SchemaMigration {version: $version})
RETURN m IS NOT NULL AS done
