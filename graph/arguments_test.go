package graph

import (
	"encoding/json"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
)

func TestPageArguments(t *testing.T) {
	ok := []map[string]any{
		{"first": int64(1)}, {"first": int64(100)}, {"last": int64(5)},
		{"first": int64(5), "after": "c"}, {"last": int64(5), "before": "c"},
	}
	for _, args := range ok {
		if _, err := pageRequest(args); err != nil {
			t.Errorf("%v refused: %v", args, err)
		}
	}
	bad := []map[string]any{
		{}, {"first": nil}, {"first": int64(0)}, {"first": int64(101)}, {"last": int64(-1)},
		{"first": int64(1), "last": int64(1)},
	}
	for _, args := range bad {
		_, err := pageRequest(args)
		if apperr.CodeOf(err) != apperr.BadUserInput {
			t.Errorf("%v: got %v, want BAD_USER_INPUT", args, err)
		}
	}
}

func TestArgumentsFromVariablesAreNormalised(t *testing.T) {
	in := map[string]any{"first": json.Number("3"), "where": map[string]any{"budget": map[string]any{"gte": json.Number("1.5")}}, "list": []any{json.Number("2")}}
	out := normalise(in).(map[string]any)
	if out["first"] != int64(3) {
		t.Errorf("first = %#v", out["first"])
	}
	if gte := out["where"].(map[string]any)["budget"].(map[string]any)["gte"]; gte != 1.5 {
		t.Errorf("gte = %#v", gte)
	}
	if out["list"].([]any)[0] != int64(2) {
		t.Errorf("list = %#v", out["list"])
	}
	if argsKey(map[string]any{"b": 1, "a": 2}) != argsKey(map[string]any{"a": 2, "b": 1}) {
		t.Error("argument keys depend on map order")
	}
}
