package graph

import "testing"

func TestNegotiateResponseMediaType(t *testing.T) {
	const json, gql = mediaJSON, mediaGraphQLResponse
	cases := []struct {
		accept []string
		want   string // "" is 406
	}{
		{nil, json},
		{[]string{""}, json},
		{[]string{"*/*"}, json},
		{[]string{"application/*"}, json},
		{[]string{"application/json"}, json},
		{[]string{"application/json; charset=utf-8"}, json},
		{[]string{"application/graphql-response+json"}, gql},
		{[]string{"Application/GraphQL-Response+JSON"}, gql},
		// The specification's recommended client header: both named, the first preferred.
		{[]string{"application/graphql-response+json; charset=utf-8, application/json; charset=utf-8"}, gql},
		{[]string{"application/json, application/graphql-response+json"}, json},
		// Quality decides before order.
		{[]string{"application/json;q=0.5, application/graphql-response+json"}, gql},
		{[]string{"application/graphql-response+json;q=0.1, application/json"}, json},
		{[]string{"application/graphql-response+json;q=0.9, */*;q=0.1"}, gql},
		{[]string{"application/json;q=0.2, */*;q=0.8"}, gql}, // the wildcard gives it 0.8
		// Named beats reached through a wildcard at equal quality.
		{[]string{"*/*, application/graphql-response+json"}, gql},
		{[]string{"application/json, multipart/mixed"}, json}, // GraphiQL
		// The most specific range gives a type its quality; q=0 excludes it.
		{[]string{"*/*, application/json;q=0"}, gql},
		{[]string{"application/*;q=0.3, application/graphql-response+json;q=0"}, json},
		{[]string{"application/graphql-response+json", "application/json;q=0.5"}, gql}, // two headers
		// Nothing acceptable: 406.
		{[]string{"text/html"}, ""},
		{[]string{"application/xml, text/*"}, ""},
		{[]string{"application/json;q=0, application/graphql-response+json;q=0"}, ""},
		{[]string{"*/*;q=0"}, ""},
	}
	for _, c := range cases {
		got, ok := negotiate(c.accept)
		if !ok {
			got = ""
		}
		if got != c.want {
			t.Errorf("Accept %q: got %q, want %q", c.accept, got, c.want)
		}
	}
}

func TestDecodeBodyRefusesMalformedRequests(t *testing.T) {
	for body, wantOK := range map[string]bool{
		`{"query":"{ __typename }"}`:                                    true,
		`{"query":"{ __typename }","variables":null,"extensions":null}`: true,
		`{"query":"{ __typename }","operationName":null}`:               true,
		`{"query":"{ __typename }","variables":{"n":1}}`:                true,
		`{"notquery":"{ __typename }"}`:                                 true, // no query: refused later, with APQ in mind
		``:                                                              false,
		`null`:                                                          false,
		`[]`:                                                            false,
		`"query"`:                                                       false,
		`{ "not a JSON`:                                                 false,
		`{"query":"{ __typename }"} {}`:                                 false,
		`{"query":0}`:                                                   false,
		`{"query":{"obj":"ect"}}`:                                       false,
		`{"query":"{ a }","operationName":false}`:                       false,
		`{"query":"{ a }","variables":"string"}`:                        false,
		`{"query":"{ a }","variables":["array"]}`:                       false,
		`{"query":"{ a }","extensions":0}`:                              false,
	} {
		_, msg := decodeBody([]byte(body))
		if (msg == "") != wantOK {
			t.Errorf("%s: message %q, want ok=%v", body, msg, wantOK)
		}
	}
	p, _ := decodeBody([]byte(`{"query":"q","operationName":"Op","variables":{"n":12345678901234567890}}`))
	if p.Query != "q" || p.OperationName != "Op" || p.Variables["n"] == nil {
		t.Errorf("decoded %+v", p)
	}
	if _, isNumber := p.Variables["n"].(interface{ Int64() (int64, error) }); !isNumber {
		t.Errorf("numbers are not kept as json.Number: %T", p.Variables["n"])
	}
}
