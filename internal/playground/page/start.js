// Starts GraphiQL against this server's /graphql endpoint: asks for the schema with its
// description, offers the example queries of the menu above the editor, and, when the caller's
// role may not introspect, says which role may instead of GraphiQL's "Error fetching schema".
(function () {
  'use strict';

  var welcomeQuery = [
    '# Partnership Graph: press the run button (or Ctrl-Enter) to send this query,',
    '# or load an example from the menu above. The Docs panel documents every type and field.',
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

  var examples = JSON.parse(document.getElementById('pg-examples-data').textContent || '[]');
  var menu = document.getElementById('pg-examples');
  var notice = document.getElementById('pg-notice');
  var container = document.getElementById('graphiql');
  var refusal = null; // the sentence shown while the schema is refused

  // refusalSentence reads the API's FORBIDDEN answer to an introspection and says, in a sentence,
  // which role may read the schema; null when the answer is no such refusal.
  function refusalSentence(answer) {
    if (!answer || !answer.errors || (answer.data && answer.data.__schema)) return null;
    var refused = answer.errors.filter(function (e) { return e.extensions && e.extensions.code === 'FORBIDDEN'; })[0];
    if (!refused) return null;
    var roles = refused.extensions.introspectingRoles || [];
    var role = refused.extensions.role || 'unknown';
    if (roles.length === 0) {
      return 'This server shows its schema to no role (INTROSPECTION=none), so the Docs panel and completion are off. ' +
        'Queries still run: type one or load an example.';
    }
    return 'The Docs panel and completion need the schema, which this server shows to the role ' + roles.join(' or ') +
      ' only; your requests have the role ' + role + '. Add an API key of that role under Headers, as ' +
      '{"Authorization": "Bearer <key>"}, then re-fetch the schema (the circular arrow on the left, or Shift-Ctrl-R). Queries still run without it.';
  }

  function showRefusal(sentence) {
    refusal = sentence;
    notice.textContent = sentence || '';
    notice.hidden = !sentence;
    replaceSchemaError();
  }

  // GraphiQL's Docs panel says "Error fetching schema" when introspection fails; say why instead.
  function replaceSchemaError() {
    var el = container.querySelector('.graphiql-doc-explorer-error');
    if (el && refusal && el.textContent !== refusal) el.textContent = refusal;
  }
  new MutationObserver(replaceSchemaError).observe(container, { childList: true, subtree: true });

  var baseFetcher = GraphiQL.createFetcher({ url: new URL('/graphql', window.location.href).toString() });
  function fetcher(params, options) {
    var answer = baseFetcher(params, options);
    if (params.operationName !== 'IntrospectionQuery') return answer;
    return Promise.resolve(answer).then(function (result) {
      var sentence = refusalSentence(result);
      showRefusal(sentence);
      if (!sentence) return result;
      // With data present (null), GraphiQL shows this answer as it is instead of retrying.
      return { data: null, errors: [{ message: sentence, extensions: result.errors[0].extensions }] };
    });
  }

  var editors = { query: undefined, variables: undefined };
  var root = ReactDOM.createRoot(container);
  function render() {
    root.render(React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: welcomeQuery,
      query: editors.query,
      variables: editors.variables,
      schemaDescription: true,
      defaultEditorToolsVisibility: true
    }));
  }

  examples.forEach(function (example, i) {
    var option = document.createElement('option');
    option.value = String(i);
    option.textContent = example.label;
    menu.appendChild(option);
  });
  menu.addEventListener('change', function () {
    var example = examples[Number(menu.value)];
    menu.value = '';
    if (!example) return;
    // GraphiQL replaces the editors' text when these props change; clearing them first makes
    // the same example load again after the editor was changed.
    editors = { query: null, variables: null };
    ReactDOM.flushSync(render);
    editors = {
      query: example.query,
      variables: example.variables ? JSON.stringify(example.variables, null, 2) : ''
    };
    render();
  });

  render();
})();
