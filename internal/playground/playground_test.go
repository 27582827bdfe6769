package playground

import (
	"bytes"
	"testing"
	"testing/fstest"
)

func TestExamplesCannotEndTheirDataBlock(t *testing.T) {
	page := fstest.MapFS{
		"index.html":    {Data: []byte(`<script type="application/json">` + examplesMarker + `</script>`)},
		"examples.json": {Data: []byte(`[{"label": "a </script><script>alert(1)</script> & b"}]`)},
	}
	out, err := pageWithExamples(page)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(out, []byte("</script>")); n != 1 {
		t.Errorf("the examples end the data block: %s", out)
	}
	if !bytes.Contains(out, []byte(`\u003c/script\u003e`)) || !bytes.Contains(out, []byte(`\u0026 b`)) {
		t.Errorf("not escaped: %s", out)
	}
}

func TestExamplesMustBeJSON(t *testing.T) {
	page := fstest.MapFS{
		"index.html":    {Data: []byte(examplesMarker)},
		"examples.json": {Data: []byte(`[{"label": }]`)},
	}
	if _, err := pageWithExamples(page); err == nil {
		t.Error("broken examples.json accepted")
	}
}

func TestHandlerBuilds(t *testing.T) {
	if Handler() == nil {
		t.Fatal("no handler")
	}
}
