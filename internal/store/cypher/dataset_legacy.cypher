// Whether the dataset has nodes written before each node recorded the datasets asserting it.
RETURN EXISTS { MATCH (n:Entity {dataset: $dataset}) WHERE n.datasets IS NULL } AS legacy
