// Package store is the only place that speaks Cypher: embedded statements, parameters only,
// records mapped to graph/model types, and Neo4j errors turned into domain errors.
package store
