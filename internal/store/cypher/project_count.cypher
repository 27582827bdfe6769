// Number of projects, from the count store (no label scan): the size behind the scan price.
MATCH (p:Project)
RETURN count(p) AS count
