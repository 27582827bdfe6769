// Package curation turns the API's mutations into sourced, reviewed change sets: roles, the
// loader's rules, versions, idempotency keys, reviews and reverts.
package curation
