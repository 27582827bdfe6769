// Package dataset reads a dataset in the seed format (CSV files such as seed/data, every fact with its source),
// validates all of it, and reports any wrong value with file, line and field before anything is
// written to the graph.
package dataset
