package model

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestDecimalParseAndWrite(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"40000000", "40000000"},
		{"0040000000.00", "40000000"},
		{"+12.50", "12.5"},
		{"-0.000", "0"},
		{"-3.25", "-3.25"},
		{" 7 ", "7"},
		{"0.1", "0.1"},
		{"123456789012345678901234567890.1234567891", "123456789012345678901234567890.1234567891"},
	} {
		var d Decimal
		if err := d.UnmarshalGQL(c.in); err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		var buf bytes.Buffer
		d.MarshalGQL(&buf)
		if buf.String() != `"`+c.want+`"` {
			t.Errorf("%q is written %s, want %q", c.in, buf.String(), c.want)
		}
	}
}

func TestDecimalInputs(t *testing.T) {
	for _, c := range []struct {
		in      any
		want    string
		refused string
	}{
		{int64(40000000), "40000000", ""},
		{json.Number("125"), "125", ""},
		{json.Number("12.5"), "", "not the floating-point number"},
		{12.5, "", "not the floating-point number"},
		{"1e6", "", "is not a decimal number"},
		{"12,5", "", "is not a decimal number"},
		{"", "", "is not a decimal number"},
		{".5", "", "is not a decimal number"},
		{"NaN", "", "is not a decimal number"},
		{strings.Repeat("9", 41), "", "at most 40 digits"},
		{true, "", "got bool"},
	} {
		var d Decimal
		err := d.UnmarshalGQL(c.in)
		switch {
		case c.refused != "" && (err == nil || !strings.Contains(err.Error(), c.refused)):
			t.Errorf("%v: error %v, want one saying %q", c.in, err, c.refused)
		case c.refused == "" && err != nil:
			t.Errorf("%v: %v", c.in, err)
		case c.refused == "" && d.String() != c.want:
			t.Errorf("%v reads as %s, want %s", c.in, d, c.want)
		}
	}
}

// Stored numbers come back with the digits they were written with, and sums in hundredths are
// written exactly, where float64 arithmetic would not be.
func TestDecimalFromStoredNumbers(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{40000000, "40000000"},
		{139366666.67, "139366666.67"},
		{0.1, "0.1"},
		{5e9, "5000000000"},
		{-12.5, "-12.5"},
	} {
		if got := DecimalFromFloat(c.f).String(); got != c.want {
			t.Errorf("%v reads as %s, want %s", c.f, got, c.want)
		}
	}
	// 0.1 + 0.2 in hundredths is 0.3 exactly.
	a, _ := DecimalFromFloat(0.1).Hundredths()
	b, _ := DecimalFromFloat(0.2).Hundredths()
	if got := DecimalFromHundredths(a + b).String(); got != "0.3" {
		t.Errorf("0.1 + 0.2 = %s, want 0.3", got)
	}
	for _, c := range []struct {
		n    int64
		want string
	}{{0, "0"}, {5, "0.05"}, {-5, "-0.05"}, {12345, "123.45"}, {100, "1"}, {-250, "-2.5"}} {
		if got := DecimalFromHundredths(c.n).String(); got != c.want {
			t.Errorf("%d hundredths = %s, want %s", c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		want int64
	}{{"12.345", 1235}, {"-0.005", -1}, {"0.004", 0}, {"7", 700}} {
		d, _ := ParseDecimal(c.in)
		if got, ok := d.Hundredths(); !ok || got != c.want {
			t.Errorf("%s in hundredths = %d (%v), want %d", c.in, got, ok, c.want)
		}
	}
	if _, ok := (Decimal{text: strings.Repeat("9", 30)}).Hundredths(); ok {
		t.Error("a number past int64 hundredths fits")
	}
}

func TestDateScalars(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{{"2016-02-29", true}, {"2015-02-29", false}, {"2016-1-31", false}, {"2016", false}, {"2016-01-31T00:00:00Z", false}} {
		if _, err := UnmarshalDate(c.in); (err == nil) != c.ok {
			t.Errorf("Date %q: error %v", c.in, err)
		}
	}
	if _, err := UnmarshalDate(20160131); err == nil {
		t.Error("a number is a Date")
	}
	for _, c := range []struct {
		in string
		ok bool
	}{{"2021-05-01T12:00:00Z", true}, {"2021-05-01T12:00:00.5+02:00", true}, {"2021-05-01T12:00:00", false}, {"2021-05-01", false}} {
		if _, err := UnmarshalDateTime(c.in); (err == nil) != c.ok {
			t.Errorf("DateTime %q: error %v", c.in, err)
		}
	}
}

func TestDecimalAdd(t *testing.T) {
	sum := Decimal{}
	for _, f := range []float64{0.1, 0.2, 1234567.891, -0.001} {
		sum = sum.Add(DecimalFromFloat(f))
	}
	if sum.String() != "1234568.19" {
		t.Errorf("0.1 + 0.2 + 1234567.891 - 0.001 = %s, want 1234568.19", sum)
	}
}
