// Starts GraphiQL against this server's /graphql endpoint, with a first query to run.
(function () {
  var defaultQuery = [
    '# Partnership Graph: press the run button (or Ctrl-Enter) to send this query.',
    '# The Docs panel on the left documents every type and field.',
    '{',
    '  regionalProcesses(first: 10) {',
    '    totalCount',
    '    nodes {',
    '      shortName',
    '      launched',
    '      members(first: 5) { totalCount edges { role node { ... on Country { name iso2 } ... on Organisation { name } } } }',
    '    }',
    '  }',
    '}',
    ''
  ].join('\n');
  var fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', window.location.href).toString() });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: defaultQuery,
    defaultEditorToolsVisibility: true
  }));
})();
