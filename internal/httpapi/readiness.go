package httpapi

// readiness is the body of /readyz once Neo4j answers. With a shared store (REDIS_URL) it names
// it, and while it is away the status is "degraded" (still 200: reads go on, on per-instance
// limits) with the reason.
func readiness(shared interface{ Degraded() string }) map[string]string {
	body := map[string]string{"status": "ready", "neo4j": "reachable"}
	if shared == nil {
		return body
	}
	body["sharedState"] = "reachable"
	if reason := shared.Degraded(); reason != "" {
		body["status"], body["sharedState"] = "degraded", reason
	}
	return body
}
