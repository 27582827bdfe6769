// How many citations of source $key the graph holds (the citation indexes, as Source.supports
// counts them): a source's deletion is checked again as it applies. __TOTAL__ is the count
// fragment of source_supports.
WITH {key: $key, query: $query} AS source
__TOTAL__
