// Package analysis answers the relationship questions (overlapping funding, national follow-up,
// priority gaps, donor coordination, funding flows) from facts the store reads; it is pure logic.
package analysis
