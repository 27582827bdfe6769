// The Neo4j GraphQL Library on Apollo Server's standalone server, over the Neo4j of NEO4J_URI,
// with the type definitions of typedefs.graphql. For make bench-compare; listens on LISTEN_HOST
// (127.0.0.1) and LISTEN_PORT (4188).
import { readFileSync } from "node:fs";
import net from "node:net";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const env = (name, fallback) => process.env[name] || fallback;

// neo4j-driver 5 opens its Bolt sockets without TCP_NODELAY, and Node leaves Nagle's algorithm on
// by default: an answer that spans several packets then waits for a delayed ACK, about 40 ms per
// statement on a country page (measured here: 48 ms a statement with Nagle, 4 ms without). A
// deployment that cares would turn it off, so the benchmark does, unless BENCH_LIBRARY_NODELAY=0.
if (env("BENCH_LIBRARY_NODELAY", "1") !== "0") {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (...args) {
    this.setNoDelay(true);
    return connect.apply(this, args);
  };
}
const uri = env("NEO4J_URI", "bolt://127.0.0.1:7687");
const password = process.env.NEO4J_PASSWORD;
if (!password) {
  console.error("bench-compare library server: NEO4J_PASSWORD is required");
  process.exit(2);
}
const driver = neo4j.driver(uri, neo4j.auth.basic(env("NEO4J_USER", "neo4j"), password));
const typeDefs = readFileSync(new URL("./typedefs.graphql", import.meta.url), "utf8");
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const server = new ApolloServer({ schema });
const { url } = await startStandaloneServer(server, {
  listen: { host: env("LISTEN_HOST", "127.0.0.1"), port: Number(env("LISTEN_PORT", "4188")) },
});
console.log(`bench-compare library server ready at ${url} (TCP_NODELAY on Bolt: ${env("BENCH_LIBRARY_NODELAY", "1") !== "0"})`);

const stop = async () => {
  await server.stop();
  await driver.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
